using System.Diagnostics;
using TrainKit.Training.Reports;

namespace TrainKit.Training.Tests.Reports;

public class ProvenanceTests
{
    [Fact]
    public void A_sweep_outside_the_repository_records_the_commit_of_the_directory_trainkit_runs_from()
    {
        // The test runs from its bin folder inside the checkout; the sweep lives in a temp folder outside any repository.
        string sweep = Directory.CreateTempSubdirectory("trainkit-provenance-").FullName;
        try
        {
            var start = new ProcessStartInfo("git", "rev-parse HEAD") { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = Environment.CurrentDirectory };
            using var git = Process.Start(start)!;
            string head = git.StandardOutput.ReadToEnd().Trim();
            git.WaitForExit();
            Assert.True(git.ExitCode == 0, "the tests run inside a git checkout");

            Assert.Equal(head, Provenance.Of([], "trainkit compare --preset quick", sweep).Commit);
        }
        finally { Directory.Delete(sweep, recursive: true); }
    }
}
