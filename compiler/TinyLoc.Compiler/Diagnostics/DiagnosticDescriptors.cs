namespace TinyLoc.Compiler.Diagnostics;

/// <summary>
/// Every diagnostic the compiler can report, each declared once. Ids are never reused; the ledger is
/// <c>docs/diagnostics.md</c> (the README table). Groups: 1xxx import and manifest, 2xxx ops and shapes,
/// 3xxx quantisation, 4xxx memory and budgets, 5xxx emit and templates.
/// </summary>
public static class DiagnosticDescriptors
{
    private const Severity E = Severity.Error;
    private const Severity W = Severity.Warning;

    // 1xxx — files, checkpoints, manifests
    public static readonly DiagnosticDescriptor FileNotReadable = new("TL1001", E, "File not readable",
        "cannot read the file: {0}", "check the path; paths in a manifest are relative to the manifest's folder");

    public static readonly DiagnosticDescriptor CheckpointNotZip = new("TL1002", E, "Checkpoint archive is corrupt",
        "the checkpoint is not a readable PyTorch zip archive: {0}", "re-save it with torch.save(model.state_dict(), path) (PyTorch >= 1.6 zip format), or export safetensors");

    public static readonly DiagnosticDescriptor CheckpointMissingEntry = new("TL1003", E, "Checkpoint entry missing",
        "the checkpoint archive has no entry '{0}'", "the file is incomplete or not a torch.save archive; re-save it");

    public static readonly DiagnosticDescriptor PickleGlobalNotAllowed = new("TL1004", E, "Pickle global not allowed",
        "the pickle names global '{0}', which is not on the allowlist; nothing from a pickle is ever executed", "save only a state_dict of tensors: torch.save(model.state_dict(), path); see README 'Checkpoints' for the allowed globals");

    public static readonly DiagnosticDescriptor PickleUnsupportedOpcode = new("TL1005", E, "Pickle opcode not supported",
        "pickle opcode 0x{0:x2} at byte {1} is not supported by the restricted unpickler", "save with torch.save (pickle protocol 2) as a plain state_dict, or export safetensors");

    public static readonly DiagnosticDescriptor PickleMalformed = new("TL1006", E, "Pickle stream malformed",
        "the pickle stream is malformed at byte {0}: {1}", "the checkpoint is damaged; re-save it");

    public static readonly DiagnosticDescriptor StorageTooShort = new("TL1007", E, "Tensor storage too short",
        "tensor '{0}' needs {1} bytes of storage '{2}' but the archive holds {3}", "the checkpoint is truncated or damaged; re-save it");

    public static readonly DiagnosticDescriptor UnsupportedDtype = new("TL1008", E, "Tensor type not supported",
        "tensor '{0}' has element type {1}, which is not supported", "convert the model to float32 before saving (model.float())");

    public static readonly DiagnosticDescriptor NotAStateDict = new("TL1009", E, "Not a state_dict",
        "the checkpoint holds {0}, not a state_dict (a mapping of names to tensors)", "save model.state_dict(), not the model object");

    public static readonly DiagnosticDescriptor SafetensorsMalformed = new("TL1010", E, "Safetensors file malformed",
        "the safetensors file is malformed: {0}", "re-export it with safetensors.torch.save_file");

    public static readonly DiagnosticDescriptor UnknownCheckpointFormat = new("TL1011", E, "Unknown checkpoint format",
        "'{0}' is not a PyTorch .pt/.pth archive, a .safetensors file or an .onnx model", "name the checkpoint *.pt, *.pth, *.safetensors or *.onnx by what it holds");

    public static readonly DiagnosticDescriptor NotRegularFile = new("TL1012", E, "Not a regular file",
        "the file is not read: {0}", "name a regular file with content; FIFOs, devices such as /dev/zero, sockets, /proc files, folders and empty files are refused (README 'Security')");

    public static readonly DiagnosticDescriptor FileTooLarge = new("TL1013", E, "File too large",
        "the file is {0:N0} bytes, over the limit of {1:N0} bytes for {2}", "a model for a microcontroller is far smaller; README 'Security' lists the limits");

    public static readonly DiagnosticDescriptor PathOutsideManifestFolder = new("TL1014", E, "Path outside the manifest's folder",
        "the manifest's {0} '{1}' leads to '{2}', outside the manifest's folder '{3}'", "move the file into the manifest's folder, or pass --allow-outside-paths if you trust the manifest");

    public static readonly DiagnosticDescriptor CheckpointOverLimit = new("TL1015", E, "Checkpoint over a size limit",
        "the checkpoint is refused before its data is allocated: {0}", "save the state_dict's tensors contiguous (tensor.contiguous()) and within the limits in README 'Security'");

    public static readonly DiagnosticDescriptor PickleOverLimit = new("TL1016", E, "Pickle over a limit",
        "the pickle stream goes over the limit of {0:N0} {1} at byte {2}", "save a plain state_dict with torch.save(model.state_dict(), path); no state dict comes near this limit (README 'Security')");

    public static readonly DiagnosticDescriptor OnnxMalformed = new("TL1017", E, "ONNX file malformed",
        "the file is not a valid ONNX model: {0}", "re-export it with torch.onnx.export (opset 13 to 18), or check it with onnx.checker.check_model");

    public static readonly DiagnosticDescriptor OnnxNotSupported = new("TL1018", E, "ONNX file not supported",
        "the ONNX model is valid but not read: {0}", "export with the weights inside the file and float32 tensors (torch.onnx.export with its defaults); README 'ONNX' lists what is read");

    public static readonly DiagnosticDescriptor ManifestInvalidJson = new("TL1101", E, "Manifest is not valid JSON",
        "invalid JSON: {0}", "fix the JSON syntax at the position shown");

    public static readonly DiagnosticDescriptor ManifestUnknownField = new("TL1102", E, "Unknown manifest field",
        "unknown field '{0}'{1}", "remove it or fix its spelling; README 'The manifest' lists every field");

    public static readonly DiagnosticDescriptor ManifestMissingField = new("TL1103", E, "Missing manifest field",
        "required field '{0}' is missing", "add it; README 'The manifest' lists every field, and 'tinyloc init CHECKPOINT' writes a starting manifest");

    public static readonly DiagnosticDescriptor ManifestWrongType = new("TL1104", E, "Manifest field has the wrong type",
        "field '{0}' should be {1}, not {2}", "README 'The manifest' gives each field's type");

    public static readonly DiagnosticDescriptor ManifestInvalidValue = new("TL1105", E, "Manifest field value not supported",
        "field '{0}' has the value {1}; expected {2}", "use one of the values listed");

    public static readonly DiagnosticDescriptor ManifestVersion = new("TL1106", E, "Manifest version not supported",
        "manifest version {0} is not supported (this compiler reads version 1)", "set \"tinyloc\": 1");

    public static readonly DiagnosticDescriptor CalibrationMalformed = new("TL1107", E, "Calibration data malformed",
        "calibration data: {0}", "give a CSV with one row per input sample and one column per input feature (raw RSSI values), optionally a header row");

    public static readonly DiagnosticDescriptor TextNotAllowed = new("TL1108", E, "Text cannot go into generated code",
        "{0} cannot go into the generated code: {1}", "remove the character or shorten the text; model files are untrusted input (README 'Security')");

    public static readonly DiagnosticDescriptor ReservedName = new("TL1109", E, "Name not usable in generated code",
        "the name '{0}' cannot be used: {1}", "pick another lower snake case name that is not a C or C# keyword nor a member of the generated API (README 'Security')");

    public static readonly DiagnosticDescriptor JsonOverLimit = new("TL1110", E, "JSON over a limit",
        "the JSON text goes over a limit: {0}", "a manifest is a few kilobytes: shorten the text (README 'Security' lists the limits)");

    public static readonly DiagnosticDescriptor CsvOverLimit = new("TL1111", E, "CSV data over a limit",
        "the CSV data goes over a limit: {0}", "calibration needs a few thousand representative rows: give fewer or shorter rows (README 'Security' lists the limits)");

    public static readonly DiagnosticDescriptor EvaluationLabelMissing = new("TL1112", E, "Evaluation data has no labels",
        "evaluation data: {0}; the file's columns are {1}", "classifiers: say how a row's label is spelled with --label, a column (--label room) or a template over columns (--label \"B{BUILDINGID}F{FLOOR}\"); regression: give columns named like the manifest's outputs");

    public static readonly DiagnosticDescriptor EvaluationLabelsUnknown = new("TL1113", E, "No label is one of the model's",
        "evaluation data: no row's label is one of the model's: the rows' labels are {0}; the model's are {1}", "spell the labels as the manifest's output.labels do (--label builds them from the columns, e.g. --label \"B{BUILDINGID}F{FLOOR}\"), or give the data the model was trained for");

    public static readonly DiagnosticDescriptor RecordingTimeMissing = new("TL1114", E, "Recording has no usable time column",
        "evaluation data: {0}", "a model with a window of several rows reads a recording with one timestamp per row: name its column with --time-column and its unit with --time-unit (ns, us, ms or s); or give pre-made windows, features x window columns");

    public static readonly DiagnosticDescriptor EvaluationMalformed = new("TL1115", E, "Evaluation data malformed",
        "evaluation data: {0}", "give a CSV with a header naming the model's input features (input.features) and the label column (--label): one row per sample, pre-made windows (features x window columns), or a recording with a time column");

    public static readonly DiagnosticDescriptor MissingTensor = new("TL1201", E, "Tensor missing from checkpoint",
        "the {0} model needs tensor '{1}', which the checkpoint does not have (it has: {2})", "check the manifest's family and layer list against the checkpoint ('tinyloc init' infers them)");

    public static readonly DiagnosticDescriptor UnusedTensor = new("TL1202", W, "Tensor not used",
        "checkpoint tensor '{0}' is not used by the {1} model and is dropped", "nothing to do if this is expected (e.g. training-only heads)");

    public static readonly DiagnosticDescriptor TensorShapeMismatch = new("TL1203", E, "Tensor shape mismatch",
        "tensor '{0}' has shape {1}, but the model needs {2}", "the manifest's hyper-parameters do not match the checkpoint; fix the manifest or re-run 'tinyloc init'");

    public static readonly DiagnosticDescriptor CannotInferManifest = new("TL1204", E, "Cannot infer the model",
        "cannot infer a model from the checkpoint's tensors: {0}", "write the manifest by hand (README 'The manifest')");

    public static readonly DiagnosticDescriptor NonFiniteTensor = new("TL1205", E, "Tensor holds NaN or infinity",
        "tensor values of '{0}' ({1}) include {2} non-finite value(s), the first {3} at {4}; the compiled model would not compute what PyTorch computes", "repair or retrain the checkpoint (look for a diverged training run), e.g. torch.nan_to_num only if that is what the model means");

    public static readonly DiagnosticDescriptor EmptyLayer = new("TL1206", E, "Layer has no units",
        "layer '{0}' (node {1}) has output shape {2}: it has no units", "remove the layer from the manifest or re-save a checkpoint with at least one unit per layer");

    public static readonly DiagnosticDescriptor InitNeedsOption = new("TL1207", E, "Checkpoint does not tell",
        "the checkpoint does not tell {0}: pass {1}", "add the option to 'tinyloc init' (README 'The manifest' lists what init asks for and what it assumes)");

    public static readonly DiagnosticDescriptor InitAssumedValue = new("TL1208", W, "Init assumed a value",
        "{0}: wrote {1}, which the checkpoint does not tell; pass {2} if that is not right", "check the value in the written manifest, or re-run 'tinyloc init' with the option");

    public static readonly DiagnosticDescriptor NoFamilyMatches = new("TL1209", E, "Checkpoint matches no model family",
        "the checkpoint's tensors match none of the families init knows. It looked for: " +
        "mlp = only Linear layers ('P.weight' [out, in] and 'P.bias' [out], each taking the previous layer's outputs); " +
        "cnn1d = Conv1d layers ('P.weight' [out, in, kernel] and 'P.bias') then one Linear head; " +
        "mamba = 'encoder.weight' [H, F], 'layers.{{i}}.norm.weight', 'layers.{{i}}.mixer.{{in_proj, conv1d, x_proj, dt_proj, A_log, D, out_proj}}', 'hidden2loc.weight' [C, H], optional 'crf.*'; " +
        "mdcsa = 'rssi_encoder.weight' [H, F], 'rssi_pe.pe' [1, 160, H], 'mdsca.dcsa{{k}}.*' per branch kernel k, 'mdsca.conv1d.weight' [H, H, merge kernel], 'mdsca.norm.*', 'hidden2loc.*', optional 'crf.*'. " +
        "The checkpoint has: {0}", "write the manifest by hand if the model is one of these families under other names (README 'The manifest', 'Model families')");

    // 2xxx — ops and shapes
    public static readonly DiagnosticDescriptor ShapeMismatch = new("TL2001", E, "Shape mismatch",
        "node '{0}' ({1}): {2}", "the checkpoint's layers do not chain; check the manifest's layer order");

    public static readonly DiagnosticDescriptor UnsupportedOp = new("TL2002", E, "Op not supported",
        "{0} is not supported {1}", "see README 'Model families' for what each family supports");

    public static readonly DiagnosticDescriptor DuplicateValue = new("TL2003", E, "Duplicate value name",
        "node '{0}' produces '{1}', which an earlier node or the input already produces", "give the layers distinct names; 'input' and 'input.norm' are taken, and so is each layer's activation output 'L.relu' etc.");

    public static readonly DiagnosticDescriptor OnnxNodeNotSupported = new("TL2004", E, "ONNX node not supported",
        "ONNX node '{0}' ({1}): {2}", "README 'ONNX' lists the operators and layouts the importer takes; re-export the model without this construct, or with static shapes");

    // 3xxx — quantisation
    public static readonly DiagnosticDescriptor UnknownScheme = new("TL3001", E, "Unknown quantisation scheme",
        "quantisation scheme '{0}' is not known (known: {1})", "pick one of the known schemes");

    public static readonly DiagnosticDescriptor MissingActivationRange = new("TL3002", E, "No calibration range",
        "static quantisation needs the range of tensor '{0}', but the manifest has none and no calibration data was given", "add quantization.activation_ranges to the manifest, or pass --calibration FILE.csv");

    public static readonly DiagnosticDescriptor AccumulatorOverflow = new("TL3003", E, "Accumulator may overflow",
        "node '{0}': the int32 accumulator of output {1} can reach {2}, beyond int32", "the layer is too wide for one int32 sum; use --scheme none for this model");

    public static readonly DiagnosticDescriptor MultiplierOutOfRange = new("TL3004", E, "Requantisation scale out of range",
        "node '{0}': effective scale {1} of output {2} cannot be expressed as a Q31 multiplier with a shift", "the calibration ranges are degenerate; recalibrate with representative data");

    public static readonly DiagnosticDescriptor DegenerateRange = new("TL3005", W, "Degenerate calibration range",
        "tensor '{0}' has an empty calibration range [{1}, {2}]; a unit scale is used", "recalibrate with data that exercises this layer");

    // 4xxx — memory and budgets
    public static readonly DiagnosticDescriptor RamBudgetExceeded = new("TL4001", E, "RAM budget exceeded",
        "RAM {0} bytes exceeds the budget of {1} bytes by {2}; biggest buffers: {3}", "raise the budget, use --scheme static, or shrink the largest layers");

    public static readonly DiagnosticDescriptor FlashBudgetExceeded = new("TL4002", E, "Flash budget exceeded",
        "flash {0} bytes exceeds the budget of {1} bytes by {2}; biggest items: {3}", "raise the budget, use --unroll none, or use --scheme static");

    public static readonly DiagnosticDescriptor InvalidSize = new("TL4003", E, "Invalid size",
        "'{0}' is not a size; write bytes, or a number with KB, KiB, MB or MiB", "for example 64KiB or 262144");

    public static readonly DiagnosticDescriptor RamBudgetNear = new("TL4004", W, "RAM budget nearly used",
        "RAM {0} bytes is {1}% of the budget of {2} bytes", "leave headroom for the application, or shrink the model");

    public static readonly DiagnosticDescriptor FlashBudgetNear = new("TL4005", W, "Flash budget nearly used",
        "flash {0} bytes is {1}% of the budget of {2} bytes", "use --unroll none or --scheme static to save flash");

    // 5xxx — emit and templates
    public static readonly DiagnosticDescriptor UnknownTarget = new("TL5001", E, "Unknown target",
        "target '{0}' is not known (known: {1})", "pick one of the known targets");

    public static readonly DiagnosticDescriptor TemplateMissing = new("TL5002", E, "Template missing",
        "template '{0}' was not found in {1}", "copy mcu-templates/ as a starting point for --templates");

    public static readonly DiagnosticDescriptor TemplateFailed = new("TL5003", E, "Template failed",
        "template '{0}' failed to render: {1}", "check the template against mcu-templates/README.md");

    public static readonly DiagnosticDescriptor OutputNotWritable = new("TL5004", E, "Output not writable",
        "cannot write '{0}': {1}", "check that the output folder is writable");

    public static readonly DiagnosticDescriptor UnknownUnroll = new("TL5005", E, "Unknown unroll mode",
        "unroll mode '{0}' is not known (known: all, none, auto, wide)", "pick all, none, auto or wide");

    public static readonly DiagnosticDescriptor UnknownCore = new("TL5007", E, "Unknown core",
        "core '{0}' is not known (known: {1})", "pick one of the known cores; README 'The size report' says what each was fitted to");

    public static readonly DiagnosticDescriptor UnknownSchedule = new("TL5008", E, "Unknown schedule",
        "schedule '{0}' is not known (known: fused, layer)", "pick fused (time-fused loops, the default) or layer (every node over the whole window)");

    public static readonly DiagnosticDescriptor InvalidNamespace = new("TL5006", E, "Namespace not usable",
        "the C# namespace '{0}' cannot be used: {1}", "use a dotted C# name such as TinyLoc.Models");
}
