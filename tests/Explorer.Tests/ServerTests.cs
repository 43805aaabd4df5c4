using System.Net.Http.Json;
using System.Text.Json.Nodes;
using TrainKit.Explorer.Server;
using TrainKit.Schedulers.Config;

namespace TrainKit.Explorer.Tests;

public class ServerTests
{
    [Fact]
    public async Task Serves_the_page_the_kinds_and_updates_on_loopback()
    {
        await using var server = await ExplorerServer.StartAsync(0);
        Assert.Equal("127.0.0.1", server.Url.Host);
        using var http = new HttpClient { BaseAddress = server.Url };

        string page = await http.GetStringAsync("/");
        Assert.Contains("TrainKit schedule explorer", page);
        // No CDN: every script and stylesheet is our own, served here.
        Assert.DoesNotContain("http://", page.Replace("http://www.w3.org", ""));
        Assert.DoesNotContain("https://", page);
        Assert.Contains("/api/update", await http.GetStringAsync("/app.js"));
        Assert.Contains(".chart", await http.GetStringAsync("/app.css"));

        var kinds = await http.GetFromJsonAsync<JsonArray>("/api/kinds?steps=100");
        Assert.Equal(ScheduleCatalog.Kinds.Count, kinds!.Count);

        var request = """{"steps":100,"schedules":[{"label":"cos","spec":{"kind":"CosineAnnealingLR","params":{"T_max":0}}}]}""";
        var response = await http.PostAsync("/api/update", new StringContent(request, System.Text.Encoding.UTF8, "application/json"));
        response.EnsureSuccessStatusCode();
        var body = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        Assert.Equal("T_max must be > 0, got 0", (string?)body["errors"]![0]!["message"]);
        Assert.Equal("T_max", (string?)body["errors"]![0]!["param"]);
    }

    [Trait("Category", "Slow")]
    [Fact]
    public async Task A_port_in_use_is_a_one_line_argument_error()
    {
        await using var first = await ExplorerServer.StartAsync(0);
        var ex = await Assert.ThrowsAnyAsync<ArgumentException>(() => ExplorerServer.StartAsync(first.Url.Port));
        Assert.Contains($"--port {first.Url.Port}", ex.Message);
    }

    [Fact]
    public async Task Stops_when_cancelled()
    {
        await using var server = await ExplorerServer.StartAsync(0);
        using var cancel = new CancellationTokenSource();
        var serving = server.WaitAsync(cancel.Token);
        Assert.False(serving.IsCompleted);
        cancel.Cancel();
        await serving.WaitAsync(TimeSpan.FromSeconds(10));
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        await Assert.ThrowsAnyAsync<HttpRequestException>(() => http.GetStringAsync(server.Url));
    }
}
