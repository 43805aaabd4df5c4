#!/usr/bin/env bash
# CI block for issue #20 (called by .ci/run): pack, consume the packages from a local folder feed in an
# empty NuGet cache, install the `trainkit` tool, and start the published CLI with only the runtimes the
# Docker image has. Prints one line per block with the seconds it took; any failed check fails CI.
# Measured on a fresh clone (git clone -b wt/ship; .ci/ship.sh) on a shared 2-core machine: 418 s in all
# (pack 185, consumer 113, opt-out 27, tool 26, publish + start 59); 71 s when build outputs already exist.
set -euo pipefail
cd "$(dirname "$0")/.."
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 OMP_NUM_THREADS=1
work=$(mktemp -d /tmp/trainkit-ship.XXXXXX)
trap 'rm -rf "$work"' EXIT
version=$(sed -n 's:.*<Version>\(.*\)</Version>.*:\1:p' Directory.Build.props | head -1)
t=$(date +%s)
block() { local now; now=$(date +%s); echo "ship: $1 ($((now - t)) s)"; t=$now; }
fail() { echo "ship: FAILED: $*" >&2; exit 1; }

# 1. pack both packages into artifacts/ (a flat folder feed)
rm -f artifacts/*.nupkg artifacts/*.snupkg
dotnet pack src/Schedulers -c Release -v:q -nologo >/dev/null
dotnet pack src/Cli -c Release -v:q -nologo >/dev/null
lib=$(unzip -l "artifacts/TrainKit.Schedulers.$version.nupkg")
for f in lib/net8.0/TrainKit.Schedulers.dll lib/net8.0/TrainKit.Schedulers.xml lib/net10.0/TrainKit.Schedulers.dll \
         lib/net10.0/TrainKit.Schedulers.xml README.md LICENSE buildTransitive/TrainKit.Schedulers.targets; do
  grep -q " $f\$" <<<"$lib" || fail "TrainKit.Schedulers.$version.nupkg lacks $f"
done
[ -f "artifacts/TrainKit.Schedulers.$version.snupkg" ] || fail "no symbol package for TrainKit.Schedulers"
tool="artifacts/trainkit.linux-x64.$version.nupkg"
bytes=$(stat -c %s "$tool")
[ "$bytes" -le $((250 * 1000 * 1000)) ] || fail "$tool is $bytes bytes, over the gallery's 250 MB limit"
block "packed TrainKit.Schedulers and trainkit ($tool: $((bytes / 1000000)) MB)"

# 2. the consumer sample restores from the folder feed into an empty NuGet cache, builds and runs
#    (net10.0, and the net8.0 asset on this machine's .NET 10 runtime via roll-forward)
export NUGET_PACKAGES="$work/nuget-cache"
dotnet build samples/PackageConsumer -c Release -v:q -nologo -o "$work/consumer10" -p:ConsumerFramework=net10.0 >/dev/null
dotnet "$work/consumer10/PackageConsumer.dll" | tail -1
dotnet build samples/PackageConsumer -c Release -v:q -nologo -o "$work/consumer8" -p:ConsumerFramework=net8.0 >/dev/null
DOTNET_ROLL_FORWARD=Major dotnet "$work/consumer8/PackageConsumer.dll" | tail -1
block "consumer restored into an empty cache, built and ran (net10.0 and net8.0 assets)"

# 3. the package's opt-out still works: without the patch the library stays strict and cannot load here
dotnet build samples/PackageConsumer -c Release -v:q -nologo -o "$work/optout" -p:TrainKitSkipElfPatch=true >/dev/null
# (outputs are captured before grep -q: with pipefail, grep closing the pipe early would fail the writer)
needs=$(readelf -V "$work/optout/runtimes/linux-x64/native/libLibTorchSharp.so")
grep -q "Name: GLIBCXX_3.4.32  Flags: none" <<<"$needs" || fail "TrainKitSkipElfPatch=true still patched the consumer's libLibTorchSharp.so"
if dotnet "$work/optout/PackageConsumer.dll" >/dev/null 2>&1; then
  echo "ship: note: the unpatched library loads here (libstdc++ has GLIBCXX_3.4.32), so the fix is not needed on this machine"
fi
block "opt-out (-p:TrainKitSkipElfPatch=true) leaves the library unpatched"
unset NUGET_PACKAGES

# 4. the tool installs into a temp folder and runs from there
dotnet tool install --tool-path "$work/tool" --add-source ./artifacts trainkit --version "$version" >/dev/null
info=$("$work/tool/trainkit" info) || fail "trainkit info from the installed tool"
grep -q "TorchSharp-cpu" <<<"$info" || fail "trainkit info from the installed tool names no backend"
block "dotnet tool install trainkit; trainkit info"

# 5. the Dockerfile's publish, started with only the runtimes the aspnet image has (no SDK)
dotnet publish src/Cli/TrainKit.Cli.csproj -c Release -r linux-x64 --self-contained false -o "$work/app" -v:q -nologo >/dev/null
dotnet_root=$(dirname "$(readlink -f "$(command -v dotnet)")")
mkdir -p "$work/aspnet/shared"
cp -a "$dotnet_root/dotnet" "$dotnet_root/host" "$work/aspnet/"
ln -s "$dotnet_root/shared/Microsoft.NETCore.App" "$dotnet_root/shared/Microsoft.AspNetCore.App" "$work/aspnet/shared/"
info=$("$work/aspnet/dotnet" "$work/app/trainkit.dll" info) || fail "published trainkit info"
grep -q "TorchSharp-cpu" <<<"$info" || fail "published trainkit info names no backend"
# A small ResNet-20 on the bundled Fashion-MNIST subset; warmup shorter than the 20 steps (the default is 50).
echo '{"model":{"name":"resnet20","width":0.25},"batch_size":32,"schedule":{"kind":"WarmupCosine","params":{"warmup_steps":5}},"log_every":10,"eval_every":20,"data":{"eval_examples":200}}' > "$work/train.json"
trained=$("$work/aspnet/dotnet" "$work/app/trainkit.dll" train --config "$work/train.json" --steps 20 --out "$work/run") \
  || fail "published trainkit train --steps 20"
grep "done: 20 steps" <<<"$trained" || fail "published trainkit train did not finish 20 steps"
[ -f "$work/run/summary.json" ] || fail "published train wrote no summary.json"
# The old image's base (runtime only, no ASP.NET Core) cannot start it: the reason the base is aspnet.
mkdir -p "$work/runtime-only/shared"
cp -a "$dotnet_root/dotnet" "$dotnet_root/host" "$work/runtime-only/"
ln -s "$dotnet_root/shared/Microsoft.NETCore.App" "$work/runtime-only/shared/"
if "$work/runtime-only/dotnet" "$work/app/trainkit.dll" info >/dev/null 2>&1; then fail "published CLI started without ASP.NET Core"; fi
block "published -r linux-x64 ($(du -sm "$work/app" | cut -f1) MB); info and a 20-step train on the aspnet runtimes"
