using System;
using System.Collections.Generic;
using System.Linq;
using System.Reflection;
using Microsoft.CodeAnalysis;
using C = TinyLoc.Compiler.Diagnostics.DiagnosticDescriptors;
using TinyLocDescriptor = TinyLoc.Compiler.Diagnostics.DiagnosticDescriptor;
using TinyLocSeverity = TinyLoc.Compiler.Diagnostics.Severity;

namespace TinyLoc.Generator.Diagnostics;

/// <summary>
/// Every diagnostic the generator reports, each declared once, with the same id as the compiler's
/// (<c>TinyLoc.Compiler.Diagnostics.DiagnosticDescriptors</c>, whose titles and fixes are reused, not
/// copied). Ids are never reused; the ledger is <c>AnalyzerReleases.Shipped.md</c> and
/// <c>AnalyzerReleases.Unshipped.md</c> (checked by the release-tracking analyzer at build time), and the
/// table is in <c>generator/README.md</c> (checked by a test). Groups: 1xxx import and manifest, 2xxx ops
/// and shapes, 3xxx quantisation, 4xxx memory and budgets, 5xxx emit and templates, 6xxx the build.
/// </summary>
/// <remarks>
/// Every descriptor's message is <c>{0}</c>: the text is finished before it enters the pipeline (a
/// <see cref="Pipeline.DiagnosticInfo"/>), as <c>message (field). Fix: help</c>, like the command line's.
/// </remarks>
internal static class GeneratorDiagnostics
{
    /// <summary>Category of 1xxx: files, checkpoints and manifests.</summary>
    public const string Import = "TinyLoc.Import";

    /// <summary>Category of 2xxx: ops and shapes.</summary>
    public const string Ops = "TinyLoc.Ops";

    /// <summary>Category of 3xxx: quantisation.</summary>
    public const string Quantization = "TinyLoc.Quantization";

    /// <summary>Category of 4xxx: memory and budgets.</summary>
    public const string Budget = "TinyLoc.Budget";

    /// <summary>Category of 5xxx: emit and templates.</summary>
    public const string Emit = "TinyLoc.Emit";

    /// <summary>Category of 6xxx: the build (the generator's own).</summary>
    public const string Build = "TinyLoc.Build";

    private const string MessageFormat = "{0}";

    private static readonly Lazy<IReadOnlyDictionary<string, DiagnosticDescriptor>> ById = new(() => All.ToDictionary(d => d.Id, StringComparer.Ordinal));

    // 6xxx — the generator's own messages, written once here in the compiler's form (message, help) so they
    // render like the compiler's; their Roslyn descriptors follow.

    /// <summary>A checkpoint or calibration file the manifest names is not an AdditionalFile.</summary>
    public static readonly TinyLocDescriptor InputNotInBuildMessage = new(
        "TL6001",
        TinyLocSeverity.Error,
        "Model input not in the build",
        "the manifest's {0} '{1}' is not an AdditionalFile of this project, so the build can neither read it nor notice when it changes",
        "add the model with <TinyLocModel Include=\"NAME.tinyloc.json\" />, which also adds the checkpoint and calibration file it names, or add the file with <AdditionalFiles Include=\"...\" />");

    /// <summary>An MSBuild setting (TinyLocTarget, TinyLocNamespace) has a value the generator cannot use.</summary>
    public static readonly TinyLocDescriptor InvalidSettingMessage = new(
        "TL6002",
        TinyLocSeverity.Error,
        "Generator setting not valid",
        "{0} '{1}' is not valid: {2}",
        "set the MSBuild property, or the model item's metadata of the same name, to one of the values listed");

    /// <summary>The one-line size summary of a compiled model.</summary>
    public static readonly TinyLocDescriptor ModelSizeMessage = new(
        "TL6003",
        TinyLocSeverity.Info,
        "Model size",
        "{0}",
        "the same numbers are constants of the generated class (RamBytes, ArenaBytes, FlashBytesEstimate, ...); set TinyLocRamBudget and TinyLocFlashBudget to make the build check them");

    /// <summary>Two models generate the same class.</summary>
    public static readonly TinyLocDescriptor DuplicateClassMessage = new(
        "TL6004",
        TinyLocSeverity.Error,
        "Duplicate model class",
        "this model generates {0}, which '{1}' generates too; this one is skipped",
        "give one of the models another \"name\", or another TinyLocNamespace");

    /// <summary>An unexpected failure inside the generator, reported instead of thrown.</summary>
    public static readonly TinyLocDescriptor GeneratorFailedMessage = new(
        "TL6005",
        TinyLocSeverity.Error,
        "Generator failed",
        "the TinyLoc generator failed on this model: {0}",
        "this is a bug in TinyLoc.Generator; please report it with the model files (the build of other models is not affected)");

    /// <summary>A compiler diagnostic whose id this generator version does not know (a newer compiler).</summary>
    public static readonly TinyLocDescriptor UnknownCompilerDiagnosticMessage = new(
        "TL6006",
        TinyLocSeverity.Error,
        "Compiler diagnostic not known to the generator",
        "{0}: {1}",
        "update TinyLoc.Generator so that it matches the compiler");

    // 1xxx-5xxx — the compiler's, one to one.

    /// <summary>Roslyn descriptor of the compiler's <see cref="C.FileNotReadable"/>.</summary>
    public static readonly DiagnosticDescriptor FileNotReadable = new("TL1001", C.FileNotReadable.Title, MessageFormat, Import, DiagnosticSeverity.Error, true, Help(C.FileNotReadable.Help));

    /// <summary>Roslyn descriptor of the compiler's <see cref="C.CheckpointNotZip"/>.</summary>
    public static readonly DiagnosticDescriptor CheckpointNotZip = new("TL1002", C.CheckpointNotZip.Title, MessageFormat, Import, DiagnosticSeverity.Error, true, Help(C.CheckpointNotZip.Help));

    /// <summary>Roslyn descriptor of the compiler's <see cref="C.CheckpointMissingEntry"/>.</summary>
    public static readonly DiagnosticDescriptor CheckpointMissingEntry = new("TL1003", C.CheckpointMissingEntry.Title, MessageFormat, Import, DiagnosticSeverity.Error, true, Help(C.CheckpointMissingEntry.Help));

    /// <summary>Roslyn descriptor of the compiler's <see cref="C.PickleGlobalNotAllowed"/>.</summary>
    public static readonly DiagnosticDescriptor PickleGlobalNotAllowed = new("TL1004", C.PickleGlobalNotAllowed.Title, MessageFormat, Import, DiagnosticSeverity.Error, true, Help(C.PickleGlobalNotAllowed.Help));

    /// <summary>Roslyn descriptor of the compiler's <see cref="C.PickleUnsupportedOpcode"/>.</summary>
    public static readonly DiagnosticDescriptor PickleUnsupportedOpcode = new("TL1005", C.PickleUnsupportedOpcode.Title, MessageFormat, Import, DiagnosticSeverity.Error, true, Help(C.PickleUnsupportedOpcode.Help));

    /// <summary>Roslyn descriptor of the compiler's <see cref="C.PickleMalformed"/>.</summary>
    public static readonly DiagnosticDescriptor PickleMalformed = new("TL1006", C.PickleMalformed.Title, MessageFormat, Import, DiagnosticSeverity.Error, true, Help(C.PickleMalformed.Help));

    /// <summary>Roslyn descriptor of the compiler's <see cref="C.StorageTooShort"/>.</summary>
    public static readonly DiagnosticDescriptor StorageTooShort = new("TL1007", C.StorageTooShort.Title, MessageFormat, Import, DiagnosticSeverity.Error, true, Help(C.StorageTooShort.Help));

    /// <summary>Roslyn descriptor of the compiler's <see cref="C.UnsupportedDtype"/>.</summary>
    public static readonly DiagnosticDescriptor UnsupportedDtype = new("TL1008", C.UnsupportedDtype.Title, MessageFormat, Import, DiagnosticSeverity.Error, true, Help(C.UnsupportedDtype.Help));

    /// <summary>Roslyn descriptor of the compiler's <see cref="C.NotAStateDict"/>.</summary>
    public static readonly DiagnosticDescriptor NotAStateDict = new("TL1009", C.NotAStateDict.Title, MessageFormat, Import, DiagnosticSeverity.Error, true, Help(C.NotAStateDict.Help));

    /// <summary>Roslyn descriptor of the compiler's <see cref="C.SafetensorsMalformed"/>.</summary>
    public static readonly DiagnosticDescriptor SafetensorsMalformed = new("TL1010", C.SafetensorsMalformed.Title, MessageFormat, Import, DiagnosticSeverity.Error, true, Help(C.SafetensorsMalformed.Help));

    /// <summary>Roslyn descriptor of the compiler's <see cref="C.UnknownCheckpointFormat"/>.</summary>
    public static readonly DiagnosticDescriptor UnknownCheckpointFormat = new("TL1011", C.UnknownCheckpointFormat.Title, MessageFormat, Import, DiagnosticSeverity.Error, true, Help(C.UnknownCheckpointFormat.Help));

    /// <summary>Roslyn descriptor of the compiler's <see cref="C.NotRegularFile"/>.</summary>
    public static readonly DiagnosticDescriptor NotRegularFile = new("TL1012", C.NotRegularFile.Title, MessageFormat, Import, DiagnosticSeverity.Error, true, Help(C.NotRegularFile.Help));

    /// <summary>Roslyn descriptor of the compiler's <see cref="C.FileTooLarge"/>.</summary>
    public static readonly DiagnosticDescriptor FileTooLarge = new("TL1013", C.FileTooLarge.Title, MessageFormat, Import, DiagnosticSeverity.Error, true, Help(C.FileTooLarge.Help));

    /// <summary>Roslyn descriptor of the compiler's <see cref="C.PathOutsideManifestFolder"/>.</summary>
    public static readonly DiagnosticDescriptor PathOutsideManifestFolder = new("TL1014", C.PathOutsideManifestFolder.Title, MessageFormat, Import, DiagnosticSeverity.Error, true, Help(C.PathOutsideManifestFolder.Help));

    /// <summary>Roslyn descriptor of the compiler's <see cref="C.CheckpointOverLimit"/>.</summary>
    public static readonly DiagnosticDescriptor CheckpointOverLimit = new("TL1015", C.CheckpointOverLimit.Title, MessageFormat, Import, DiagnosticSeverity.Error, true, Help(C.CheckpointOverLimit.Help));

    /// <summary>Roslyn descriptor of the compiler's <see cref="C.PickleOverLimit"/>.</summary>
    public static readonly DiagnosticDescriptor PickleOverLimit = new("TL1016", C.PickleOverLimit.Title, MessageFormat, Import, DiagnosticSeverity.Error, true, Help(C.PickleOverLimit.Help));

    /// <summary>Roslyn descriptor of the compiler's <see cref="C.OnnxMalformed"/>.</summary>
    public static readonly DiagnosticDescriptor OnnxMalformed = new("TL1017", C.OnnxMalformed.Title, MessageFormat, Import, DiagnosticSeverity.Error, true, Help(C.OnnxMalformed.Help));

    /// <summary>Roslyn descriptor of the compiler's <see cref="C.OnnxNotSupported"/>.</summary>
    public static readonly DiagnosticDescriptor OnnxNotSupported = new("TL1018", C.OnnxNotSupported.Title, MessageFormat, Import, DiagnosticSeverity.Error, true, Help(C.OnnxNotSupported.Help));

    /// <summary>Roslyn descriptor of the compiler's <see cref="C.ManifestInvalidJson"/>.</summary>
    public static readonly DiagnosticDescriptor ManifestInvalidJson = new("TL1101", C.ManifestInvalidJson.Title, MessageFormat, Import, DiagnosticSeverity.Error, true, Help(C.ManifestInvalidJson.Help));

    /// <summary>Roslyn descriptor of the compiler's <see cref="C.ManifestUnknownField"/>.</summary>
    public static readonly DiagnosticDescriptor ManifestUnknownField = new("TL1102", C.ManifestUnknownField.Title, MessageFormat, Import, DiagnosticSeverity.Error, true, Help(C.ManifestUnknownField.Help));

    /// <summary>Roslyn descriptor of the compiler's <see cref="C.ManifestMissingField"/>.</summary>
    public static readonly DiagnosticDescriptor ManifestMissingField = new("TL1103", C.ManifestMissingField.Title, MessageFormat, Import, DiagnosticSeverity.Error, true, Help(C.ManifestMissingField.Help));

    /// <summary>Roslyn descriptor of the compiler's <see cref="C.ManifestWrongType"/>.</summary>
    public static readonly DiagnosticDescriptor ManifestWrongType = new("TL1104", C.ManifestWrongType.Title, MessageFormat, Import, DiagnosticSeverity.Error, true, Help(C.ManifestWrongType.Help));

    /// <summary>Roslyn descriptor of the compiler's <see cref="C.ManifestInvalidValue"/>.</summary>
    public static readonly DiagnosticDescriptor ManifestInvalidValue = new("TL1105", C.ManifestInvalidValue.Title, MessageFormat, Import, DiagnosticSeverity.Error, true, Help(C.ManifestInvalidValue.Help));

    /// <summary>Roslyn descriptor of the compiler's <see cref="C.ManifestVersion"/>.</summary>
    public static readonly DiagnosticDescriptor ManifestVersion = new("TL1106", C.ManifestVersion.Title, MessageFormat, Import, DiagnosticSeverity.Error, true, Help(C.ManifestVersion.Help));

    /// <summary>Roslyn descriptor of the compiler's <see cref="C.CalibrationMalformed"/>.</summary>
    public static readonly DiagnosticDescriptor CalibrationMalformed = new("TL1107", C.CalibrationMalformed.Title, MessageFormat, Import, DiagnosticSeverity.Error, true, Help(C.CalibrationMalformed.Help));

    /// <summary>Roslyn descriptor of the compiler's <see cref="C.TextNotAllowed"/>.</summary>
    public static readonly DiagnosticDescriptor TextNotAllowed = new("TL1108", C.TextNotAllowed.Title, MessageFormat, Import, DiagnosticSeverity.Error, true, Help(C.TextNotAllowed.Help));

    /// <summary>Roslyn descriptor of the compiler's <see cref="C.ReservedName"/>.</summary>
    public static readonly DiagnosticDescriptor ReservedName = new("TL1109", C.ReservedName.Title, MessageFormat, Import, DiagnosticSeverity.Error, true, Help(C.ReservedName.Help));

    /// <summary>Roslyn descriptor of the compiler's <see cref="C.JsonOverLimit"/>.</summary>
    public static readonly DiagnosticDescriptor JsonOverLimit = new("TL1110", C.JsonOverLimit.Title, MessageFormat, Import, DiagnosticSeverity.Error, true, Help(C.JsonOverLimit.Help));

    /// <summary>Roslyn descriptor of the compiler's <see cref="C.CsvOverLimit"/>.</summary>
    public static readonly DiagnosticDescriptor CsvOverLimit = new("TL1111", C.CsvOverLimit.Title, MessageFormat, Import, DiagnosticSeverity.Error, true, Help(C.CsvOverLimit.Help));

    /// <summary>Roslyn descriptor of the compiler's <see cref="C.EvaluationLabelMissing"/> (only the CLI's evaluate reports it).</summary>
    public static readonly DiagnosticDescriptor EvaluationLabelMissing = new("TL1112", C.EvaluationLabelMissing.Title, MessageFormat, Import, DiagnosticSeverity.Error, true, Help(C.EvaluationLabelMissing.Help));

    /// <summary>Roslyn descriptor of the compiler's <see cref="C.EvaluationLabelsUnknown"/> (only the CLI's evaluate reports it).</summary>
    public static readonly DiagnosticDescriptor EvaluationLabelsUnknown = new("TL1113", C.EvaluationLabelsUnknown.Title, MessageFormat, Import, DiagnosticSeverity.Error, true, Help(C.EvaluationLabelsUnknown.Help));

    /// <summary>Roslyn descriptor of the compiler's <see cref="C.EvaluationMalformed"/> (only the CLI's evaluate reports it).</summary>
    public static readonly DiagnosticDescriptor EvaluationMalformed = new("TL1115", C.EvaluationMalformed.Title, MessageFormat, Import, DiagnosticSeverity.Error, true, Help(C.EvaluationMalformed.Help));

    /// <summary>Roslyn descriptor of the compiler's <see cref="C.RecordingTimeMissing"/> (only the CLI's evaluate reports it).</summary>
    public static readonly DiagnosticDescriptor RecordingTimeMissing = new("TL1114", C.RecordingTimeMissing.Title, MessageFormat, Import, DiagnosticSeverity.Error, true, Help(C.RecordingTimeMissing.Help));

    /// <summary>Roslyn descriptor of the compiler's <see cref="C.MissingTensor"/>.</summary>
    public static readonly DiagnosticDescriptor MissingTensor = new("TL1201", C.MissingTensor.Title, MessageFormat, Import, DiagnosticSeverity.Error, true, Help(C.MissingTensor.Help));

    /// <summary>Roslyn descriptor of the compiler's <see cref="C.UnusedTensor"/>.</summary>
    public static readonly DiagnosticDescriptor UnusedTensor = new("TL1202", C.UnusedTensor.Title, MessageFormat, Import, DiagnosticSeverity.Warning, true, Help(C.UnusedTensor.Help));

    /// <summary>Roslyn descriptor of the compiler's <see cref="C.TensorShapeMismatch"/>.</summary>
    public static readonly DiagnosticDescriptor TensorShapeMismatch = new("TL1203", C.TensorShapeMismatch.Title, MessageFormat, Import, DiagnosticSeverity.Error, true, Help(C.TensorShapeMismatch.Help));

    /// <summary>Roslyn descriptor of the compiler's <see cref="C.CannotInferManifest"/>.</summary>
    public static readonly DiagnosticDescriptor CannotInferManifest = new("TL1204", C.CannotInferManifest.Title, MessageFormat, Import, DiagnosticSeverity.Error, true, Help(C.CannotInferManifest.Help));

    /// <summary>Roslyn descriptor of the compiler's <see cref="C.NonFiniteTensor"/>.</summary>
    public static readonly DiagnosticDescriptor NonFiniteTensor = new("TL1205", C.NonFiniteTensor.Title, MessageFormat, Import, DiagnosticSeverity.Error, true, Help(C.NonFiniteTensor.Help));

    /// <summary>Roslyn descriptor of the compiler's <see cref="C.EmptyLayer"/>.</summary>
    public static readonly DiagnosticDescriptor EmptyLayer = new("TL1206", C.EmptyLayer.Title, MessageFormat, Import, DiagnosticSeverity.Error, true, Help(C.EmptyLayer.Help));

    /// <summary>Roslyn descriptor of the compiler's <see cref="C.InitNeedsOption"/> (tinyloc init only; listed so every id has one).</summary>
    public static readonly DiagnosticDescriptor InitNeedsOption = new("TL1207", C.InitNeedsOption.Title, MessageFormat, Import, DiagnosticSeverity.Error, true, Help(C.InitNeedsOption.Help));

    /// <summary>Roslyn descriptor of the compiler's <see cref="C.InitAssumedValue"/> (tinyloc init only).</summary>
    public static readonly DiagnosticDescriptor InitAssumedValue = new("TL1208", C.InitAssumedValue.Title, MessageFormat, Import, DiagnosticSeverity.Warning, true, Help(C.InitAssumedValue.Help));

    /// <summary>Roslyn descriptor of the compiler's <see cref="C.NoFamilyMatches"/> (tinyloc init only).</summary>
    public static readonly DiagnosticDescriptor NoFamilyMatches = new("TL1209", C.NoFamilyMatches.Title, MessageFormat, Import, DiagnosticSeverity.Error, true, Help(C.NoFamilyMatches.Help));

    /// <summary>Roslyn descriptor of the compiler's <see cref="C.ShapeMismatch"/>.</summary>
    public static readonly DiagnosticDescriptor ShapeMismatch = new("TL2001", C.ShapeMismatch.Title, MessageFormat, Ops, DiagnosticSeverity.Error, true, Help(C.ShapeMismatch.Help));

    /// <summary>Roslyn descriptor of the compiler's <see cref="C.UnsupportedOp"/>.</summary>
    public static readonly DiagnosticDescriptor UnsupportedOp = new("TL2002", C.UnsupportedOp.Title, MessageFormat, Ops, DiagnosticSeverity.Error, true, Help(C.UnsupportedOp.Help));

    /// <summary>Roslyn descriptor of the compiler's <see cref="C.DuplicateValue"/>.</summary>
    public static readonly DiagnosticDescriptor DuplicateValue = new("TL2003", C.DuplicateValue.Title, MessageFormat, Ops, DiagnosticSeverity.Error, true, Help(C.DuplicateValue.Help));

    /// <summary>Roslyn descriptor of the compiler's <see cref="C.OnnxNodeNotSupported"/>.</summary>
    public static readonly DiagnosticDescriptor OnnxNodeNotSupported = new("TL2004", C.OnnxNodeNotSupported.Title, MessageFormat, Ops, DiagnosticSeverity.Error, true, Help(C.OnnxNodeNotSupported.Help));

    /// <summary>Roslyn descriptor of the compiler's <see cref="C.UnknownScheme"/>.</summary>
    public static readonly DiagnosticDescriptor UnknownScheme = new("TL3001", C.UnknownScheme.Title, MessageFormat, Quantization, DiagnosticSeverity.Error, true, Help(C.UnknownScheme.Help));

    /// <summary>Roslyn descriptor of the compiler's <see cref="C.MissingActivationRange"/>.</summary>
    public static readonly DiagnosticDescriptor MissingActivationRange = new("TL3002", C.MissingActivationRange.Title, MessageFormat, Quantization, DiagnosticSeverity.Error, true, Help(C.MissingActivationRange.Help));

    /// <summary>Roslyn descriptor of the compiler's <see cref="C.AccumulatorOverflow"/>.</summary>
    public static readonly DiagnosticDescriptor AccumulatorOverflow = new("TL3003", C.AccumulatorOverflow.Title, MessageFormat, Quantization, DiagnosticSeverity.Error, true, Help(C.AccumulatorOverflow.Help));

    /// <summary>Roslyn descriptor of the compiler's <see cref="C.MultiplierOutOfRange"/>.</summary>
    public static readonly DiagnosticDescriptor MultiplierOutOfRange = new("TL3004", C.MultiplierOutOfRange.Title, MessageFormat, Quantization, DiagnosticSeverity.Error, true, Help(C.MultiplierOutOfRange.Help));

    /// <summary>Roslyn descriptor of the compiler's <see cref="C.DegenerateRange"/>.</summary>
    public static readonly DiagnosticDescriptor DegenerateRange = new("TL3005", C.DegenerateRange.Title, MessageFormat, Quantization, DiagnosticSeverity.Warning, true, Help(C.DegenerateRange.Help));

    /// <summary>Roslyn descriptor of the compiler's <see cref="C.RamBudgetExceeded"/>.</summary>
    public static readonly DiagnosticDescriptor RamBudgetExceeded = new("TL4001", C.RamBudgetExceeded.Title, MessageFormat, Budget, DiagnosticSeverity.Error, true, Help(C.RamBudgetExceeded.Help));

    /// <summary>Roslyn descriptor of the compiler's <see cref="C.FlashBudgetExceeded"/>.</summary>
    public static readonly DiagnosticDescriptor FlashBudgetExceeded = new("TL4002", C.FlashBudgetExceeded.Title, MessageFormat, Budget, DiagnosticSeverity.Error, true, Help(C.FlashBudgetExceeded.Help));

    /// <summary>Roslyn descriptor of the compiler's <see cref="C.InvalidSize"/>.</summary>
    public static readonly DiagnosticDescriptor InvalidSize = new("TL4003", C.InvalidSize.Title, MessageFormat, Budget, DiagnosticSeverity.Error, true, Help(C.InvalidSize.Help));

    /// <summary>Roslyn descriptor of the compiler's <see cref="C.RamBudgetNear"/>.</summary>
    public static readonly DiagnosticDescriptor RamBudgetNear = new("TL4004", C.RamBudgetNear.Title, MessageFormat, Budget, DiagnosticSeverity.Warning, true, Help(C.RamBudgetNear.Help));

    /// <summary>Roslyn descriptor of the compiler's <see cref="C.FlashBudgetNear"/>.</summary>
    public static readonly DiagnosticDescriptor FlashBudgetNear = new("TL4005", C.FlashBudgetNear.Title, MessageFormat, Budget, DiagnosticSeverity.Warning, true, Help(C.FlashBudgetNear.Help));

    /// <summary>Roslyn descriptor of the compiler's <see cref="C.UnknownTarget"/>.</summary>
    public static readonly DiagnosticDescriptor UnknownTarget = new("TL5001", C.UnknownTarget.Title, MessageFormat, Emit, DiagnosticSeverity.Error, true, Help(C.UnknownTarget.Help));

    /// <summary>Roslyn descriptor of the compiler's <see cref="C.TemplateMissing"/>.</summary>
    public static readonly DiagnosticDescriptor TemplateMissing = new("TL5002", C.TemplateMissing.Title, MessageFormat, Emit, DiagnosticSeverity.Error, true, Help(C.TemplateMissing.Help));

    /// <summary>Roslyn descriptor of the compiler's <see cref="C.TemplateFailed"/>.</summary>
    public static readonly DiagnosticDescriptor TemplateFailed = new("TL5003", C.TemplateFailed.Title, MessageFormat, Emit, DiagnosticSeverity.Error, true, Help(C.TemplateFailed.Help));

    /// <summary>Roslyn descriptor of the compiler's <see cref="C.OutputNotWritable"/>.</summary>
    public static readonly DiagnosticDescriptor OutputNotWritable = new("TL5004", C.OutputNotWritable.Title, MessageFormat, Emit, DiagnosticSeverity.Error, true, Help(C.OutputNotWritable.Help));

    /// <summary>Roslyn descriptor of the compiler's <see cref="C.UnknownUnroll"/>.</summary>
    public static readonly DiagnosticDescriptor UnknownUnroll = new("TL5005", C.UnknownUnroll.Title, MessageFormat, Emit, DiagnosticSeverity.Error, true, Help(C.UnknownUnroll.Help));

    /// <summary>Roslyn descriptor of the compiler's <see cref="C.InvalidNamespace"/>.</summary>
    public static readonly DiagnosticDescriptor InvalidNamespace = new("TL5006", C.InvalidNamespace.Title, MessageFormat, Emit, DiagnosticSeverity.Error, true, Help(C.InvalidNamespace.Help));

    /// <summary>Roslyn descriptor of the compiler's <see cref="C.UnknownCore"/>.</summary>
    public static readonly DiagnosticDescriptor UnknownCore = new("TL5007", C.UnknownCore.Title, MessageFormat, Emit, DiagnosticSeverity.Error, true, Help(C.UnknownCore.Help));

    /// <summary>Roslyn descriptor of the compiler's <see cref="C.UnknownSchedule"/>.</summary>
    public static readonly DiagnosticDescriptor UnknownSchedule = new("TL5008", C.UnknownSchedule.Title, MessageFormat, Emit, DiagnosticSeverity.Error, true, Help(C.UnknownSchedule.Help));

    /// <summary>Roslyn descriptor of <see cref="InputNotInBuildMessage"/>.</summary>
    public static readonly DiagnosticDescriptor InputNotInBuild = new("TL6001", InputNotInBuildMessage.Title, MessageFormat, Build, DiagnosticSeverity.Error, true, Help(InputNotInBuildMessage.Help));

    /// <summary>Roslyn descriptor of <see cref="InvalidSettingMessage"/>.</summary>
    public static readonly DiagnosticDescriptor InvalidSetting = new("TL6002", InvalidSettingMessage.Title, MessageFormat, Build, DiagnosticSeverity.Error, true, Help(InvalidSettingMessage.Help));

    /// <summary>Roslyn descriptor of <see cref="ModelSizeMessage"/>: Info, so it never fails a build; the package's targets print it.</summary>
    public static readonly DiagnosticDescriptor ModelSize = new("TL6003", ModelSizeMessage.Title, MessageFormat, Build, DiagnosticSeverity.Info, true, Help(ModelSizeMessage.Help));

    /// <summary>Roslyn descriptor of <see cref="DuplicateClassMessage"/>.</summary>
    public static readonly DiagnosticDescriptor DuplicateClass = new("TL6004", DuplicateClassMessage.Title, MessageFormat, Build, DiagnosticSeverity.Error, true, Help(DuplicateClassMessage.Help));

    /// <summary>Roslyn descriptor of <see cref="GeneratorFailedMessage"/>.</summary>
    public static readonly DiagnosticDescriptor GeneratorFailed = new("TL6005", GeneratorFailedMessage.Title, MessageFormat, Build, DiagnosticSeverity.Error, true, Help(GeneratorFailedMessage.Help));

    /// <summary>Roslyn descriptor of <see cref="UnknownCompilerDiagnosticMessage"/>; reported with the original diagnostic's severity.</summary>
    public static readonly DiagnosticDescriptor UnknownCompilerDiagnostic = new("TL6006", UnknownCompilerDiagnosticMessage.Title, MessageFormat, Build, DiagnosticSeverity.Error, true, Help(UnknownCompilerDiagnosticMessage.Help));

    /// <summary>Every Roslyn descriptor above, in id order.</summary>
    public static IReadOnlyList<DiagnosticDescriptor> All { get; } = typeof(GeneratorDiagnostics)
        .GetFields(BindingFlags.Public | BindingFlags.Static)
        .Where(f => f.FieldType == typeof(DiagnosticDescriptor))
        .Select(f => (DiagnosticDescriptor)f.GetValue(null)!)
        .OrderBy(d => d.Id, StringComparer.Ordinal)
        .ToArray();

    /// <summary>The descriptor with <paramref name="id"/>, or null.</summary>
    /// <param name="id">A TLxxxx id.</param>
    public static DiagnosticDescriptor? Find(string id) => ById.Value.TryGetValue(id, out var d) ? d : null;

    /// <summary>
    /// A fix written for the command line, said in MSBuild terms: the generator's settings are MSBuild
    /// properties (or model item metadata), not options.
    /// </summary>
    /// <param name="help">A fix from a compiler descriptor.</param>
    public static string Help(string help) => help
        .Replace("--scheme ", "TinyLocScheme=")
        .Replace("--unroll ", "TinyLocUnroll=")
        .Replace("--ram-budget", "TinyLocRamBudget")
        .Replace("--flash-budget", "TinyLocFlashBudget")
        .Replace("--templates", "the tinyloc command's --templates")
        .Replace("pass --calibration FILE.csv", "set quantization.calibration in the manifest");
}
