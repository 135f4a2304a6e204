using System.Collections.Generic;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Operations;

namespace TinyLoc.Compiler.Tests.Harness;

/// <summary>
/// The rules of the nanoFramework profile that a missing type cannot catch: no generic type or
/// method declarations (<c>NF0001</c>), no boxing conversions (<c>NF0002</c>) and no double-precision
/// arithmetic (<c>NF0003</c>: firmware built without double support computes it differently).
/// </summary>
public static class NanoFrameworkProfileRules
{
    // These descriptors belong to the test harness, not to a shipped analyzer: no release tracking.
#pragma warning disable RS2008
    /// <summary>A generic type, method or local function is declared.</summary>
    public static readonly DiagnosticDescriptor GenericDeclaration = new(
        "NF0001",
        "Generic declaration",
        "The nanoFramework profile allows no generics: '{0}' declares type parameters",
        "NanoFrameworkProfile",
        DiagnosticSeverity.Error,
        isEnabledByDefault: true);

    /// <summary>A value is boxed.</summary>
    public static readonly DiagnosticDescriptor Boxing = new(
        "NF0002",
        "Boxing",
        "The nanoFramework profile allows no boxing: a '{0}' is converted to '{1}'",
        "NanoFrameworkProfile",
        DiagnosticSeverity.Error,
        isEnabledByDefault: true);

    /// <summary>A value of type double is computed.</summary>
    public static readonly DiagnosticDescriptor DoubleArithmetic = new(
        "NF0003",
        "Double precision",
        "The nanoFramework profile computes in float32 only: '{0}' is a double",
        "NanoFrameworkProfile",
        DiagnosticSeverity.Error,
        isEnabledByDefault: true);
#pragma warning restore RS2008

    /// <summary>Checks every syntax tree of <paramref name="compilation"/>.</summary>
    /// <param name="compilation">A compilation of profile code.</param>
    public static IEnumerable<Diagnostic> Check(CSharpCompilation compilation)
    {
        var found = new List<Diagnostic>();
        foreach (SyntaxTree tree in compilation.SyntaxTrees)
        {
            SemanticModel model = compilation.GetSemanticModel(tree);
            SyntaxNode root = tree.GetRoot();
            foreach (TypeParameterListSyntax list in root.DescendantNodes().OfType<TypeParameterListSyntax>())
            {
                found.Add(Diagnostic.Create(GenericDeclaration, list.GetLocation(), list.Parent?.ToString().Split('\n')[0].Trim()));
            }

            foreach (SyntaxNode body in root.DescendantNodes().Where(IsExecutableRoot))
            {
                if (model.GetOperation(body) is not { } operation)
                {
                    continue;
                }

                foreach (IOperation op in operation.DescendantsAndSelf().Where(o => o.Type?.SpecialType == SpecialType.System_Double))
                {
                    found.Add(Diagnostic.Create(DoubleArithmetic, op.Syntax.GetLocation(), op.Syntax.ToString()));
                }

                foreach (IConversionOperation conversion in operation.DescendantsAndSelf().OfType<IConversionOperation>())
                {
                    if (conversion.GetConversion().IsBoxing)
                    {
                        found.Add(Diagnostic.Create(
                            Boxing,
                            conversion.Syntax.GetLocation(),
                            conversion.Operand.Type?.ToDisplayString(),
                            conversion.Type?.ToDisplayString()));
                    }
                }
            }
        }

        return found;
    }

    /// <summary>Nodes whose operation tree covers one member's code: bodies, arrow bodies, initializers.</summary>
    private static bool IsExecutableRoot(SyntaxNode node) => node switch
    {
        BlockSyntax block => block.Parent is BaseMethodDeclarationSyntax or AccessorDeclarationSyntax,
        ArrowExpressionClauseSyntax arrow => arrow.Parent is not LocalFunctionStatementSyntax,
        EqualsValueClauseSyntax value => value.Parent is PropertyDeclarationSyntax or ParameterSyntax
            || value.Parent?.Parent?.Parent is FieldDeclarationSyntax,
        ConstructorInitializerSyntax => true,
        _ => false,
    };
}
