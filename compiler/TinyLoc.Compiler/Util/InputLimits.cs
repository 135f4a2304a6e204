namespace TinyLoc.Compiler.Util;

/// <summary>
/// Every limit the compiler puts on untrusted input, in one place (README 'Security' lists them with their
/// diagnostics). Each is far above what a model for a microcontroller needs and low enough that no input
/// makes the compiler allocate more than a few hundred megabytes or run for more than a few seconds: an
/// input is refused, with a diagnostic naming the file and the limit, before the memory is allocated.
/// </summary>
public static class InputLimits
{
    /// <summary>
    /// Largest checkpoint file, and largest total of the zip entries read from it once inflated (TL1013, TL1015).
    /// 4 MiB of float32 is a million weights, a megabyte of flash as int8: the whole flash of the largest STM32L4
    /// parts, and 20 times the largest example model. A zip that inflates beyond it is refused before its
    /// entries are allocated. Compiling costs time and memory per weight (measured on 2 cores, float32 MLPs
    /// compiled for stm32: a 2.2 MB checkpoint takes 0.6 s and 169 MB peak, one of 4.1 MB 0.73 s and 250 MB), so this also
    /// bounds a valid model.
    /// </summary>
    public const long MaxCheckpointBytes = 4L * 1024 * 1024;

    /// <summary>
    /// Most tensor elements a checkpoint may hold in all (TL1015): 4 Mi elements are 16 MiB once converted to
    /// float32, which bounds the weights in memory whatever the file says (a 4 MiB file of int8 storages).
    /// </summary>
    public const long MaxTensorElements = 4L * 1024 * 1024;

    /// <summary>
    /// Elements the tensors may hold beyond the bytes of tensor data the file really has (TL1015). A stored
    /// element takes at least one byte, so only views that repeat their data (stride 0, as <c>tensor.expand</c>
    /// saves) go beyond, and 1 Mi elements is room for those; a stride-0 view of 4 bytes cannot become 500
    /// million elements.
    /// </summary>
    public const long MaxExpandedElements = 1024 * 1024;

    /// <summary>
    /// Most opcodes a checkpoint's pickle may execute (TL1016). A state dict takes about 40 opcodes per tensor,
    /// so this allows 12,000 tensors; each opcode may allocate one small object, so it also bounds the memory.
    /// </summary>
    public const int MaxPickleOpcodes = 500_000;

    /// <summary>
    /// Most values (and marks) on the pickle stack at once (TL1016). Python's pickler batches appends and set-items
    /// by 1,000, so a state dict never needs more than a few thousand.
    /// </summary>
    public const int MaxPickleStack = 100_000;

    /// <summary>Most memo entries a pickle may store (TL1016); a state dict stores about ten per tensor.</summary>
    public const int MaxPickleMemo = 100_000;

    /// <summary>
    /// Largest JSON document (a manifest file, or a safetensors header), in bytes and in characters (TL1013,
    /// TL1110). A manifest is a few kilobytes; a safetensors header is about 100 bytes per tensor.
    /// </summary>
    public const int MaxJsonBytes = 1024 * 1024;

    /// <summary>
    /// Longest JSON string, in characters (TL1110): paths, names, labels and descriptions are short, and a
    /// 10 MB field name must not be copied, compared and printed.
    /// </summary>
    public const int MaxJsonStringChars = 64 * 1024;

    /// <summary>Deepest JSON nesting (TL1110); a manifest nests three levels.</summary>
    public const int MaxJsonDepth = 64;

    /// <summary>
    /// Largest calibration or dataset CSV file on disk, compressed or not (TL1013): the UJIIndoorLoc training set
    /// is 1.3 MB as .csv.gz and 43 MB as plain CSV.
    /// </summary>
    public const long MaxCsvFileBytes = 64L * 1024 * 1024;

    /// <summary>
    /// Most characters a CSV may hold once decompressed (TL1111), so that a small .gz cannot keep the compiler
    /// reading for minutes; 4.7 times the plain-text UJIIndoorLoc training set.
    /// </summary>
    public const long MaxCsvChars = 192L * 1024 * 1024;

    /// <summary>
    /// Longest CSV line, in characters (TL1111): a line is held whole, and a row of 520 RSSI values times a
    /// window of 50 is about 130,000 characters.
    /// </summary>
    public const int MaxCsvLineChars = 1024 * 1024;

    /// <summary>Most CSV data rows (TL1111): 50 times the UJIIndoorLoc training set; each row becomes an array.</summary>
    public const int MaxCsvRows = 1_000_000;

    /// <summary>
    /// Most input values read from a CSV, rows times model inputs (TL1111): 16 Mi float32 values are 64 MiB;
    /// the UJIIndoorLoc training set is 10.4 million.
    /// </summary>
    public const long MaxCsvValues = 16L * 1024 * 1024;

    /// <summary>
    /// Most CSV cells that are not plain decimals (exponents, NaN, more than 9 digits) (TL1111): each is parsed
    /// through a string of its own, up to 150 bytes, where plain decimals take none; a recorded dataset with
    /// 17-digit decimals (Kolakowski's calibration set) has 25,000.
    /// </summary>
    public const int MaxCsvTextCells = 250_000;

    /// <summary>Longest CSV cell read as a number, in characters (TL1107): a float32 never needs more.</summary>
    public const int MaxCsvNumberChars = 64;

    /// <summary>Largest template file of a <c>--templates</c> folder (TL1013); the built-in ones are under 20 KB.</summary>
    public const long MaxTemplateBytes = 1024 * 1024;
}
