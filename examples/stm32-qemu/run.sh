#!/usr/bin/env bash
# Builds and runs the robot-run replay: on the emulated Cortex-M4 (default) or on the host (--host).
# From anywhere:  examples/stm32-qemu/run.sh [--host]
# Needs the .NET SDK, gcc-arm-none-eabi, libnewlib-arm-none-eabi and qemu-system-arm (or gcc for --host), and the
# Kolakowski data in $TINYLOC_DATA/ble-rss-kolakowski-2021 (default: ../shared/datasets beside the repository).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../.." && pwd)
data=${TINYLOC_DATA:-$repo/../shared/datasets}/ble-rss-kolakowski-2021/test_robot_df.csv.gz
out=${OUT:-$repo/out/stm32-qemu}
if [ ! -f "$data" ]; then
  echo "missing $data: download the Kolakowski BLE RSS set (Zenodo, doi 10.5281/zenodo.5457591), see the top-level README" >&2
  exit 2
fi
mkdir -p "$out/model"
dotnet run --project "$repo/compiler/TinyLoc.Cli" -c Release -- compile "$repo/examples/models/kolakowski_mlp.tinyloc.json" --target stm32 --out "$out/model"
gzip -dc "$data" > "$out/robot.csv"
sources=("$here/main.c" "$out/model/kolakowski_mlp.c" "$out/model/kolakowski_mlp_runtime.c" "$out/model/tinyloc_runtime.c")
cd "$out"
if [ "${1:-}" = "--host" ]; then
  gcc -std=c99 -Wall -Wextra -Werror -pedantic -O2 -ffp-contract=off -I model "${sources[@]}" -lm -o replay
  ./replay
else
  cpu=(-mcpu=cortex-m4 -mthumb -mfloat-abi=hard -mfpu=fpv4-sp-d16)
  arm-none-eabi-gcc "${cpu[@]}" -std=c99 -Wall -Wextra -Werror -pedantic -O2 -ffp-contract=off -ffunction-sections -fdata-sections \
    --specs=nano.specs --specs=rdimon.specs -nostartfiles -Wl,--gc-sections -T "$repo/tests/mcu/arm/stm32l4.ld" \
    -I model "$repo/tests/mcu/arm/startup.c" "${sources[@]}" -lm -o replay.elf
  arm-none-eabi-size replay.elf
  qemu-system-arm -M mps2-an386 -nographic -semihosting -kernel replay.elf
fi
