using System.Text.Json.Nodes;
using TrainKit.Training.Checkpoints;

namespace TrainKit.Training.Tests.Checkpoints;

public class CheckpointStoreTests
{
    static string RunDir() => Directory.CreateTempSubdirectory("trainkit-ckpt-").FullName;

    static Dictionary<string, Action<Stream>> Parts(byte value) => new()
    {
        ["model"] = s => s.Write(Enumerable.Repeat(value, 1000).ToArray()),
        ["optimizer"] = s => s.WriteByte(value),
    };

    [Fact]
    public void Saves_and_loads_the_latest_checkpoint_with_its_parts_and_state()
    {
        var store = new CheckpointStore(RunDir());
        Assert.Null(store.Latest());
        store.Save(10, Parts(1), new JsonObject { ["epoch"] = 0 });
        store.Save(20, Parts(2), new JsonObject { ["epoch"] = 1 });

        Checkpoint latest = store.Latest()!;
        Assert.Equal(20, latest.Step);
        Assert.Equal(1, latest.State["epoch"]!.GetValue<int>());
        using var model = latest.OpenPart("model");
        Assert.Equal(2, model.ReadByte());
        Assert.Throws<InvalidDataException>(() => latest.OpenPart("missing"));
    }

    [Fact]
    public void Keeps_only_the_newest_checkpoints()
    {
        var store = new CheckpointStore(RunDir(), keep: 2);
        foreach (long step in new[] { 1L, 2, 3, 4 }) store.Save(step, Parts((byte)step), new JsonObject());
        Assert.Equal(["step-000000003", "step-000000004"],
            Directory.GetDirectories(store.Directory).Select(Path.GetFileName).Order());
    }

    [Fact]
    public void Lists_the_kept_steps_and_opens_exactly_one_of_them_ignoring_incomplete_folders()
    {
        var store = new CheckpointStore(RunDir(), keep: int.MaxValue);
        Assert.Empty(store.Steps());
        foreach (long step in new[] { 5L, 10, 15 }) store.Save(step, Parts((byte)step), new JsonObject());
        Directory.CreateDirectory(Path.Combine(store.Directory, CheckpointStore.FolderName(20))); // no state.json: incomplete
        Assert.Equal([5L, 10, 15], store.Steps());
        Assert.Equal(10, store.At(10)!.Step);
        Assert.Equal(10, store.At(10)!.ReadPart("model")[0]);
        Assert.Null(store.At(7));
        Assert.Null(store.At(20));
    }

    [Fact]
    public void A_writer_killed_mid_checkpoint_leaves_the_previous_one_loadable()
    {
        string run = RunDir();
        var store = new CheckpointStore(run);
        store.Save(100, Parts(7), new JsonObject());

        // What a SIGKILL can leave behind: a half-written temp folder without state.json, and a final-named
        // folder whose state.json never got written (no rename happened yet in the real writer, but be robust).
        string torn = Directory.CreateDirectory(Path.Combine(store.Directory, ".tmp-step-000000200-x")).FullName;
        File.WriteAllBytes(Path.Combine(torn, "model.bin"), new byte[10]);
        string incomplete = Directory.CreateDirectory(Path.Combine(store.Directory, "step-000000300")).FullName;
        File.WriteAllBytes(Path.Combine(incomplete, "model.bin"), new byte[10]);
        File.WriteAllText(Path.Combine(store.Directory, "latest"), "step-000000300");

        Checkpoint latest = new CheckpointStore(run).Latest()!;
        Assert.Equal(100, latest.Step);
        using var model = latest.OpenPart("model");
        Assert.Equal(7, model.ReadByte());
    }

    [Fact]
    public void Saving_the_same_step_twice_replaces_it()
    {
        var store = new CheckpointStore(RunDir());
        store.Save(5, Parts(1), new JsonObject());
        store.Save(5, Parts(9), new JsonObject());
        using var model = store.Latest()!.OpenPart("model");
        Assert.Equal(9, model.ReadByte());
        Assert.Single(Directory.GetDirectories(store.Directory));
    }
}

public class CheckpointStoreSafetyTests
{
    static string RunDir() => Directory.CreateTempSubdirectory("trainkit-ckpt-").FullName;

    static Dictionary<string, Action<Stream>> Parts(byte value) => new() { ["model"] = s => s.Write(Enumerable.Repeat(value, 100).ToArray()) };

    [Fact]
    public void Prune_keeps_the_temp_folder_of_another_live_writer_and_removes_a_dead_ones()
    {
        string run = RunDir();
        var store = new CheckpointStore(run);
        Directory.CreateDirectory(store.Directory);
        using var other = System.Diagnostics.Process.Start("sleep", "60");
        var dead = System.Diagnostics.Process.Start("true");
        dead.WaitForExit();
        string live = Directory.CreateDirectory(Path.Combine(store.Directory, $".tmp-step-000000005-pid{other.Id}-abc")).FullName;
        string stale = Directory.CreateDirectory(Path.Combine(store.Directory, $".tmp-step-000000005-pid{dead.Id}-def")).FullName;
        try
        {
            store.Save(1, Parts(1), new JsonObject());
            Assert.True(Directory.Exists(live), "another live process's in-progress checkpoint was deleted");
            Assert.False(Directory.Exists(stale));
        }
        finally
        {
            other.Kill();
        }
    }

    [Theory]
    [InlineData("../../etc")]
    [InlineData("/tmp")]
    [InlineData("state.json")]
    public void The_latest_pointer_may_only_name_a_step_folder(string pointer)
    {
        string run = RunDir();
        var store = new CheckpointStore(run);
        store.Save(3, Parts(1), new JsonObject());
        File.WriteAllText(Path.Combine(store.Directory, "latest"), pointer);
        var ex = Assert.Throws<InvalidDataException>(() => store.Latest());
        Assert.Contains("latest", ex.Message);
        Assert.Contains(pointer, ex.Message);
    }

    [Fact]
    public void Each_part_is_checked_against_its_recorded_size_and_hash()
    {
        string run = RunDir();
        var store = new CheckpointStore(run);
        store.Save(3, Parts(1), new JsonObject());
        Checkpoint ckpt = store.Latest()!;
        Assert.Equal(100, ckpt.ReadPart("model").Length);
        string file = Path.Combine(ckpt.Folder, "model.bin");
        File.WriteAllBytes(file, Enumerable.Repeat((byte)1, 99).ToArray());
        Assert.Contains("99 bytes", Assert.Throws<InvalidDataException>(() => ckpt.ReadPart("model")).Message);
        File.WriteAllBytes(file, Enumerable.Repeat((byte)2, 100).ToArray());
        var ex = Assert.Throws<InvalidDataException>(() => ckpt.OpenPart("model"));
        Assert.Contains("SHA-256", ex.Message);
        Assert.Contains(file, ex.Message);
    }

    [Fact]
    public void A_malformed_state_step_is_a_clear_error()
    {
        string run = RunDir();
        var store = new CheckpointStore(run);
        string folder = store.Save(3, Parts(1), new JsonObject());
        File.WriteAllText(Path.Combine(folder, "state.json"), """{"step": "three"}""");
        var ex = Assert.Throws<InvalidDataException>(() => store.Latest()!.Step);
        Assert.Contains("\"step\"", ex.Message);
    }
}

public class RunFolderLockTests
{
    [Fact]
    public void A_second_holder_is_refused_naming_the_pid_and_the_lock_is_free_again_after_dispose()
    {
        string folder = Directory.CreateTempSubdirectory("trainkit-lock-").FullName;
        using (RunFolderLock.Acquire(folder))
        {
            var ex = Assert.Throws<ArgumentException>(() => RunFolderLock.Acquire(folder));
            Assert.Contains($"PID {Environment.ProcessId}", ex.Message);
            using (RunFolderLock.Acquire(folder, RunFolderLock.CellLockFile, "sweep cell")) { } // a different lock
        }
        using (RunFolderLock.Acquire(folder)) { }
    }

    [Fact]
    public void A_lock_held_by_another_process_is_refused_and_released_by_the_os_when_that_process_dies()
    {
        string folder = Directory.CreateTempSubdirectory("trainkit-lock-").FullName;
        string lockFile = Path.Combine(folder, RunFolderLock.RunLockFile);
        // util-linux flock(1) takes the same kind of lock (flock LOCK_EX) that .NET takes for FileShare.None.
        using var holder = System.Diagnostics.Process.Start("flock", ["-x", lockFile, "sleep", "60"]);
        var deadline = DateTime.UtcNow.AddSeconds(10);
        ArgumentException? refused = null;
        while (refused is null && DateTime.UtcNow < deadline)
        {
            try { RunFolderLock.Acquire(folder).Dispose(); Thread.Sleep(50); }
            catch (ArgumentException ex) { refused = ex; }
        }
        Assert.NotNull(refused);
        Assert.Contains("in use by another process", refused.Message);
        holder.Kill(entireProcessTree: true); // SIGKILL: no cleanup runs, the kernel drops the lock
        holder.WaitForExit();
        // flock's child (sleep) shares the locked descriptor and may outlive WaitForExit by a few milliseconds;
        // once the whole tree is gone the kernel frees the lock, with no stale file to clean up.
        deadline = DateTime.UtcNow.AddSeconds(10);
        RunFolderLock? acquired = null;
        while (acquired is null && DateTime.UtcNow < deadline)
        {
            try { acquired = RunFolderLock.Acquire(folder); }
            catch (ArgumentException) { Thread.Sleep(50); }
        }
        Assert.NotNull(acquired);
        acquired.Dispose();
    }
}
