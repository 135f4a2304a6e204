#!/usr/bin/env bash
# What TinyLoc.Generator adds to an incremental `dotnet build` of examples/dotnet-console.
#
# Packs the generator, copies the example into a temporary folder (as the tests do) in four variants:
#   with             - the example as committed: uji_mlp compiled at build time with unroll auto
#                      (here: every layer unrolled, ~630 KB of generated C#);
#   with unroll=none - the same with TinyLocUnroll=none (~190 KB of generated C#);
#   checked-in class - no package: the class the generator made for "with", copied into the project as a
#                      plain .cs file (what the same code costs csc without the generator);
#   without          - the package but no model, and a Program.cs that does not use one;
#   no package       - neither the package nor a model.
# and times incremental builds (median of RUNS, default 7; variants and changes interleaved, so that load
# from anything else on the machine spreads evenly) after one of these changes:
#   edit  - Program.cs touched: CoreCompile runs; the generator's inputs are unchanged (whether its compile
#           step is skipped depends on the compiler server keeping the generator driver between builds;
#           csc compiles the generated class either way);
#   model - the manifest's description edited: CoreCompile runs and the TinyLoc compiler compiles the model;
#   none  - nothing: CoreCompile is skipped.
# Builds use the SDK's compiler server (UseSharedCompilation=true) with MSBuild node reuse off.
# Usage: tests/bench/generator-build-overhead/run.sh [RUNS]    (writes nothing in the repository)
set -euo pipefail
runs=${1:-7}
repo=$(cd "$(dirname "$0")/../../.." && pwd)
work=$(mktemp -d /tmp/tinyloc-bench.XXXXXX)
export UseSharedCompilation=true MSBUILDDISABLENODEREUSE=1 DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
echo "work folder: $work"

dotnet pack "$repo/generator/TinyLoc.Generator/TinyLoc.Generator.csproj" -c Release -o "$work/artifacts/nupkg" \
  --artifacts-path "$work/build" -nodeReuse:false -v:q >/dev/null
export NUGET_PACKAGES=$work/nuget-packages
mkdir -p "$work/examples"
variants=(with unroll-none checkedin without nopackage)
for v in "${variants[@]}"; do
  mkdir -p "$work/examples/$v"
  cp -r "$repo/examples/models" "$work/examples/$v/models"
  cp -r "$repo/examples/dotnet-console" "$work/examples/$v/app"
  rm -rf "$work/examples/$v/app/bin" "$work/examples/$v/app/obj"
  # Each variant has its own copy of the models, at ../models as in the repository; the feed is ../../../artifacts/nupkg.
  sed -i 's|../../artifacts/nupkg|../../../artifacts/nupkg|' "$work/examples/$v/app/nuget.config"
done
sed -i 's|<TinyLocTarget>dotnet</TinyLocTarget>|<TinyLocTarget>dotnet</TinyLocTarget><TinyLocUnroll>none</TinyLocUnroll>|' "$work/examples/unroll-none/app/TinyLoc.Example.Console.csproj"
for v in without nopackage; do
  sed -i '/<TinyLocModel /d' "$work/examples/$v/app/TinyLoc.Example.Console.csproj"
  printf 'return 0;\n' > "$work/examples/$v/app/Program.cs"
done
for v in checkedin nopackage; do
  sed -i '/<TinyLocModel /d; /<PackageReference Include="TinyLoc.Generator"/d' "$work/examples/$v/app/TinyLoc.Example.Console.csproj"
done
(cd "$work/examples/with/app" && dotnet build -nodeReuse:false -v:q -p:EmitCompilerGeneratedFiles=true -p:CompilerGeneratedFilesOutputPath="$work/generated" >/dev/null)
cp "$(find "$work/generated" -name 'TinyLoc.Models.UjiMlp.g.cs')" "$work/examples/checkedin/app/UjiMlp.cs"

# Restore and build each variant, then warm the compiler server up (its JIT keeps improving for a while).
for v in "${variants[@]}"; do (cd "$work/examples/$v/app" && dotnet build -nodeReuse:false -v:q >/dev/null); done
for _ in 1 2 3; do
  for v in "${variants[@]}"; do touch "$work/examples/$v/app/Program.cs"; (cd "$work/examples/$v/app" && dotnet build --no-restore -nodeReuse:false -v:q >/dev/null); done
done

median() { sort -n | awk '{a[NR]=$1} END {print (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}'; }

declare -A times
for run in $(seq "$runs"); do
  for scenario in edit model none; do
    for v in "${variants[@]}"; do
      app=$work/examples/$v/app
      case $scenario in
        edit) touch "$app/Program.cs" ;;
        model) sed -i "s|\"description\": \"|\"description\": \"run $run: |" "$work/examples/$v/models/uji_mlp.tinyloc.json" ;;
      esac
      t0=$(date +%s.%N)
      (cd "$app" && dotnet build --no-restore -nodeReuse:false -v:q >/dev/null)
      t1=$(date +%s.%N)
      times[$v/$scenario]+="$(echo "$t1 - $t0" | bc) "
    done
  done
done

printf '| change | with model (unroll auto) | with model (unroll none) | class checked in, no package | package, no model | no package |\n|---|---:|---:|---:|---:|---:|\n'
for scenario in edit model none; do
  printf '| %s |' "$scenario"
  for v in "${variants[@]}"; do
    if [ "$scenario" = model ] && { [ "$v" = checkedin ] || [ "$v" = without ] || [ "$v" = nopackage ]; }; then printf ' - |'; continue; fi
    printf ' %.2f s |' "$(tr ' ' '\n' <<<"${times[$v/$scenario]}" | grep . | median)"
  done
  printf '\n'
done
echo "(medians of $runs builds; the compiler server these builds started exits by itself after its idle time-out)"
rm -rf "$work"
