namespace TinyLoc.Compiler.Tests.Harness;

/// <summary>
/// The C# source of the minimal core library that <see cref="MinimalCorlib"/> compiles: the types
/// Roslyn needs for code made of primitives, arrays and strings, and nothing else. No generics, no
/// collections, no Span, no Math, no Console, no formatting, no string concatenation.
/// </summary>
/// <remarks>
/// Besides the special types (<c>Object</c>, the primitives, <c>String</c>, <c>Array</c>, …) it has
/// the attribute types Roslyn uses when it synthesizes attributes,
/// <c>RuntimeHelpers.InitializeArray</c>, which Roslyn calls for large constant array initializers,
/// and the non-generic <c>IEnumerable</c>/<c>IEnumerator</c>/<c>IDisposable</c>, which Roslyn
/// requires to bind <c>foreach</c> even over arrays (it then emits an indexed loop).
/// <c>Exception</c>, <c>ArgumentException</c> and <c>ArgumentNullException</c> (all in
/// nanoFramework's mscorlib) are present so argument checks in generated code compile. Method
/// bodies are dummies: the library is only ever a compile-time reference.
/// </remarks>
public static class MinimalCorlibSource
{
    /// <summary>The name of the compiled core library assembly.</summary>
    public const string AssemblyName = "mscorlib";

    /// <summary>The source text.</summary>
    public const string Text = """
        namespace System
        {
            public class Object
            {
                public Object() { }
                public virtual bool Equals(object obj) { return false; }
                public virtual int GetHashCode() { return 0; }
                public virtual string ToString() { return null; }
            }

            public abstract class ValueType { }
            public abstract class Enum : ValueType { }
            public struct Void { }
            public struct Boolean { private bool value; }
            public struct Char { private char value; }
            public struct SByte { private sbyte value; }
            public struct Byte { private byte value; }
            public struct Int16 { private short value; }
            public struct UInt16 { private ushort value; }
            public struct Int32 { private int value; }
            public struct UInt32 { private uint value; }
            public struct Int64 { private long value; }
            public struct UInt64 { private ulong value; }
            public struct IntPtr { private int value; }
            public struct UIntPtr { private uint value; }
            public struct Single { private float value; }
            public struct Double { private double value; }

            public sealed class String
            {
                public static readonly string Empty = "";
                public int Length { get { return 0; } }
                public char this[int index] { get { return '\0'; } }
            }

            public abstract class Array : System.Collections.IEnumerable
            {
                public int Length { get { return 0; } }
                public System.Collections.IEnumerator GetEnumerator() { return null; }
            }

            public interface IDisposable
            {
                void Dispose();
            }

            public abstract class Type { }
            public struct RuntimeTypeHandle { }
            public struct RuntimeFieldHandle { }
            public struct RuntimeMethodHandle { }
            public abstract class Delegate { }
            public abstract class MulticastDelegate : Delegate { }

            public abstract class Attribute { }

            public enum AttributeTargets
            {
                Assembly = 1,
                Module = 2,
                Class = 4,
                Struct = 8,
                Enum = 16,
                Constructor = 32,
                Method = 64,
                Property = 128,
                Field = 256,
                Event = 512,
                Interface = 1024,
                Parameter = 2048,
                Delegate = 4096,
                ReturnValue = 8192,
                GenericParameter = 16384,
                All = 32767,
            }

            [AttributeUsage(AttributeTargets.Class, Inherited = true)]
            public sealed class AttributeUsageAttribute : Attribute
            {
                public AttributeUsageAttribute(AttributeTargets validOn) { }
                public bool AllowMultiple { get { return false; } set { } }
                public bool Inherited { get { return false; } set { } }
            }

            [AttributeUsage(AttributeTargets.Parameter, Inherited = true)]
            public sealed class ParamArrayAttribute : Attribute { }

            [AttributeUsage(AttributeTargets.Enum, Inherited = false)]
            public class FlagsAttribute : Attribute { }

            public class Exception
            {
                public Exception() { }
                public Exception(string message) { }
            }

            public class ArgumentException : Exception
            {
                public ArgumentException() { }
                public ArgumentException(string message) { }
                public ArgumentException(string message, string paramName) { }
            }

            public class ArgumentNullException : ArgumentException
            {
                public ArgumentNullException() { }
                public ArgumentNullException(string paramName) { }
            }
        }

        namespace System.Collections
        {
            public interface IEnumerable
            {
                IEnumerator GetEnumerator();
            }

            public interface IEnumerator
            {
                object Current { get; }
                bool MoveNext();
                void Reset();
            }
        }

        namespace System.Reflection
        {
            [AttributeUsage(AttributeTargets.Class | AttributeTargets.Struct, Inherited = true)]
            public sealed class DefaultMemberAttribute : Attribute
            {
                public DefaultMemberAttribute(string memberName) { }
            }
        }

        namespace System.Runtime.CompilerServices
        {
            public static class RuntimeHelpers
            {
                public static void InitializeArray(Array array, RuntimeFieldHandle fldHandle) { }
            }

            [AttributeUsage(AttributeTargets.All, Inherited = true)]
            public sealed class CompilerGeneratedAttribute : Attribute { }
        }
        """;
}
