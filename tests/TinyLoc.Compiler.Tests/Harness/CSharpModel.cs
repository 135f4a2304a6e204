using System;
using System.Globalization;
using System.Linq;
using System.Reflection;
using System.Runtime.Loader;

namespace TinyLoc.Compiler.Tests.Harness;

/// <summary>
/// A generated C# model class loaded by <see cref="CSharpHost"/>, called through delegates bound
/// once (no reflection per call). Dispose to unload its collectible load context.
/// </summary>
public sealed class CSharpModel : IDisposable
{
    private readonly Action<float[], float[]> predict;
    private readonly Func<float[], int>? classify;
    private AssemblyLoadContext? context;

    private CSharpModel(
        Type modelType,
        int inputCount,
        int outputCount,
        Action<float[], float[]> predict,
        Func<float[], int>? classify,
        AssemblyLoadContext context)
    {
        ModelType = modelType;
        InputCount = inputCount;
        OutputCount = outputCount;
        this.predict = predict;
        this.classify = classify;
        this.context = context;
    }

    /// <summary>The model class.</summary>
    public Type ModelType { get; }

    /// <summary>The class's <c>InputCount</c> constant.</summary>
    public int InputCount { get; }

    /// <summary>The class's <c>OutputCount</c> constant.</summary>
    public int OutputCount { get; }

    /// <summary>True when the class has <c>public static int Classify(float[] input)</c>.</summary>
    public bool CanClassify => classify is not null;

    /// <summary>
    /// The model's <c>Predict</c> as a delegate, for allocation measurements with caller-owned
    /// buffers (<see cref="CSharpHost.MeasureAllocatedBytesPerCall"/>).
    /// </summary>
    public Action<float[], float[]> PredictInto => predict;

    /// <summary>Calls <c>Predict</c> with a fresh output array and returns it.</summary>
    /// <param name="input">Exactly <see cref="InputCount"/> values.</param>
    public float[] Predict(float[] input)
    {
        var output = new float[OutputCount];
        Predict(input, output);
        return output;
    }

    /// <summary>Calls <c>Predict</c> into a caller-owned output array (allocates nothing itself).</summary>
    /// <param name="input">Exactly <see cref="InputCount"/> values.</param>
    /// <param name="output">Exactly <see cref="OutputCount"/> values.</param>
    public void Predict(float[] input, float[] output)
    {
        CheckLength(input, InputCount, nameof(input));
        CheckLength(output, OutputCount, nameof(output));
        predict(input, output);
    }

    /// <summary>Calls <c>Predict</c> on each input in order and returns the outputs.</summary>
    /// <param name="inputs">Input vectors.</param>
    public float[][] PredictAll(float[][] inputs)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        return inputs.Select(Predict).ToArray();
    }

    /// <summary>Calls <c>Classify</c>.</summary>
    /// <param name="input">Exactly <see cref="InputCount"/> values.</param>
    /// <exception cref="InvalidOperationException">The class has no <c>Classify</c>.</exception>
    public int Classify(float[] input)
    {
        if (classify is null)
        {
            throw new InvalidOperationException($"{ModelType.FullName} has no public static int Classify(float[]).");
        }

        CheckLength(input, InputCount, nameof(input));
        return classify(input);
    }

    /// <summary>Calls <c>Classify</c> on each input in order.</summary>
    /// <param name="inputs">Input vectors.</param>
    public int[] ClassifyAll(float[][] inputs)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        return inputs.Select(Classify).ToArray();
    }

    /// <summary>Unloads the load context (effective once the delegates are unreachable).</summary>
    public void Dispose()
    {
        context?.Unload();
        context = null;
    }

    /// <summary>Binds the API of <paramref name="type"/>; throws <see cref="HarnessException"/> when a member is missing.</summary>
    /// <param name="type">The model class.</param>
    /// <param name="context">The context it was loaded into.</param>
    internal static CSharpModel Bind(Type type, AssemblyLoadContext context)
    {
        const BindingFlags PublicStatic = BindingFlags.Public | BindingFlags.Static;
        int inputCount = ReadConstant(type, "InputCount");
        int outputCount = ReadConstant(type, "OutputCount");

        MethodInfo predictMethod = type.GetMethod("Predict", PublicStatic, [typeof(float[]), typeof(float[])]) is { } p
            && p.ReturnType == typeof(void)
            ? p
            : throw Missing(type, "public static void Predict(float[] input, float[] output)");
        MethodInfo? classifyMethod = type.GetMethod("Classify", PublicStatic, [typeof(float[])]);
        if (classifyMethod is not null && classifyMethod.ReturnType != typeof(int))
        {
            throw Missing(type, "public static int Classify(float[] input) (Classify has another return type)");
        }

        return new CSharpModel(
            type,
            inputCount,
            outputCount,
            predictMethod.CreateDelegate<Action<float[], float[]>>(),
            classifyMethod?.CreateDelegate<Func<float[], int>>(),
            context);
    }

    private static int ReadConstant(Type type, string name)
    {
        FieldInfo? field = type.GetField(name, BindingFlags.Public | BindingFlags.Static);
        if (field is null || !field.IsLiteral || field.FieldType != typeof(int))
        {
            throw Missing(type, $"public const int {name}");
        }

        return (int)field.GetRawConstantValue()!;
    }

    private static HarnessException Missing(Type type, string member)
    {
        string members = string.Join(
            "; ",
            type.GetMembers(BindingFlags.Public | BindingFlags.Static | BindingFlags.DeclaredOnly)
                .Select(m => m.ToString())
                .OrderBy(m => m, StringComparer.Ordinal));
        return new HarnessException($"{type.FullName} lacks {member}. Its public static members: {members}.");
    }

    private static void CheckLength(float[] values, int expected, string name)
    {
        ArgumentNullException.ThrowIfNull(values, name);
        if (values.Length != expected)
        {
            throw new ArgumentException(
                string.Create(CultureInfo.InvariantCulture, $"Expected {expected} values, got {values.Length}."),
                name);
        }
    }
}
