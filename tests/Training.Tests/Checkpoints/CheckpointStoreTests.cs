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
