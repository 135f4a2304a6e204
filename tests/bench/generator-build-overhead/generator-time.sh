#!/usr/bin/env bash
# The generator's own time in an incremental `dotnet build` of examples/dotnet-console after an unrelated edit
# (Program.cs touched; the models unchanged), as the compiler reports it with -p:ReportAnalyzer=true.
#
# Packs the generator, copies the example into a temporary folder with a second model (kolakowski_mamba) beside
# uji_mlp, builds it once, then RUNS times (default 5) touches Program.cs and rebuilds, printing the
# "TinyLoc.Generator" row of the compiler's generator timing table, in two settings:
#   server    - UseSharedCompilation=true: the warm compiler server (its generator driver may be kept);
#   no-server - UseSharedCompilation=false: a new compiler process per build (nothing kept in memory: the
#               results cache under obj/ is what saves the model's compile).
# Usage: tests/bench/generator-build-overhead/generator-time.sh [RUNS]    (writes nothing in the repository)
set -euo pipefail
runs=${1:-5}
repo=$(cd "$(dirname "$0")/../../.." && pwd)
work=$(mktemp -d /tmp/tinyloc-gentime.XXXXXX)
export MSBUILDDISABLENODEREUSE=1 DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 NUGET_PACKAGES=$work/nuget-packages
dotnet pack "$repo/generator/TinyLoc.Generator/TinyLoc.Generator.csproj" -c Release -o "$work/artifacts/nupkg" \
  --artifacts-path "$work/build" -nodeReuse:false -v:q >/dev/null
mkdir -p "$work/examples"
cp -r "$repo/examples/models" "$repo/examples/dotnet-console" "$work/examples/"
app=$work/examples/dotnet-console
rm -rf "$app/bin" "$app/obj"
sed -i 's|<TinyLocModel Include="../models/uji_mlp.tinyloc.json" />|&<TinyLocModel Include="../models/kolakowski_mamba.tinyloc.json" />|' "$app/TinyLoc.Example.Console.csproj"
cd "$app"
dotnet build -nodeReuse:false -v:q >/dev/null
for setting in server no-server; do
  [ "$setting" = server ] && export UseSharedCompilation=true || export UseSharedCompilation=false
  printf '%s:' "$setting"
  for _ in $(seq "$runs"); do
    touch Program.cs
    dotnet build --no-restore -nodeReuse:false -tl:off -v:d -p:ReportAnalyzer=true > "$work/build.log"
    grep -A20 'Total generator execution time' "$work/build.log" | grep -m1 'TinyLoc.Generator,' | awk '{printf " %s s", $1}'
  done
  printf '\n'
done
rm -rf "$work"
