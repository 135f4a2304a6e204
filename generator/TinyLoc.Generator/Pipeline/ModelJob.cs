using System;
using System.Collections.Generic;
using System.Collections.Immutable;

namespace TinyLoc.Generator.Pipeline;

/// <summary>Everything one model's compilation reads: the request, and the referenced files found among the AdditionalFiles.</summary>
/// <param name="Request">The manifest and its settings.</param>
/// <param name="Files">The referenced files that are AdditionalFiles, in <see cref="ModelRequest.InputPaths"/> order.</param>
/// <param name="Missing">Referenced files that are not AdditionalFiles of the project.</param>
internal sealed record ModelJob(ModelRequest Request, EquatableArray<InputFile> Files, EquatableArray<string> Missing)
{
    /// <summary>Picks the files <paramref name="request"/> references out of all that were read.</summary>
    /// <param name="request">One model.</param>
    /// <param name="read">Every referenced AdditionalFile, read.</param>
    public static ModelJob For(ModelRequest request, ImmutableArray<InputFile> read)
    {
        var files = new List<InputFile>();
        var missing = new List<string>();
        foreach (string path in request.InputPaths)
        {
            InputFile? found = null;
            foreach (var f in read)
            {
                if (string.Equals(f.Path, path, StringComparison.Ordinal))
                {
                    found = f;
                    break;
                }
            }

            if (found is null)
            {
                missing.Add(path);
            }
            else
            {
                files.Add(found);
            }
        }

        return new ModelJob(request, EquatableArray.From(files), EquatableArray.From(missing));
    }
}
