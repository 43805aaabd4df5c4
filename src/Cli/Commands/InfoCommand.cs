using System.CommandLine;
using System.Reflection;
using Spectre.Console;
using TorchSharp;

namespace TrainKit.Cli.Commands;

/// <summary>`trainkit info`: versions, threads and whether CUDA can be used (and why not).</summary>
public static class InfoCommand
{
    public static Command Create()
    {
        var command = new Command("info", "Print TorchSharp/libtorch versions, threads and CUDA availability.");
        command.SetAction(parse =>
        {
            var console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(parse.InvocationConfiguration.Output) });
            var table = new Table().Border(TableBorder.Rounded).AddColumn("Item").AddColumn("Value");
            foreach (var (name, value) in Describe())
                table.AddRow(Markup.Escape(name), Markup.Escape(value));
            console.Write(table);
            return 0;
        });
        return command;
    }

    public static IReadOnlyList<(string Name, string Value)> Describe()
    {
        string backend = BuildBackend();
        bool cuda = torch.cuda.is_available();
        return
        [
            ("TrainKit", typeof(InfoCommand).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "?"),
            ("TorchSharp", typeof(torch).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion?.Split('+')[0] ?? "?"),
            ("libtorch", torch.__version__),
            ("backend package", backend == "cuda" ? "TorchSharp-cuda-linux" : "TorchSharp-cpu"),
            (".NET", Environment.Version.ToString()),
            ("OS", System.Runtime.InteropServices.RuntimeInformation.OSDescription),
            ("intra-op threads", torch.get_num_threads().ToString()),
            ("native heap", TrainKit.Training.Runtime.NativeAllocator.Tuned ? "glibc thresholds set (mmap ≥ 32 MiB, trim ≥ 1 GiB)" : "left at the C library's defaults"),
            ("inter-op threads", torch.get_num_interop_threads().ToString()),
            ("CUDA available", cuda ? $"yes ({torch.cuda.device_count()} device(s))" : $"no: {WhyNoCuda(backend)}"),
        ];
    }

    static string BuildBackend() =>
        typeof(InfoCommand).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
            .FirstOrDefault(a => a.Key == "TorchBackend")?.Value ?? "cpu";

    static string WhyNoCuda(string backend) => backend == "cuda"
        ? "built with the CUDA backend, but libtorch found no usable NVIDIA GPU/driver"
        : "this build uses the CPU backend (TorchSharp-cpu); rebuild with -p:TorchBackend=cuda on a machine with an NVIDIA GPU";
}
