using System.Diagnostics;
using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using TrainKit.Explorer.Server;

namespace TrainKit.Explorer.Tests;

/// <summary>Hostile requests on 127.0.0.1: each gets a 4xx with a message, quickly, never a 500.</summary>
public class ServerHardeningTests
{
    static StringContent Json(string body) => new(body, Encoding.UTF8, "application/json");

    [Theory]
    [InlineData("null")]
    [InlineData("""{"schedules": null}""")]
    [InlineData("""{"schedules": [null]}""")]
    [InlineData("""{"schedules": [{"label": null, "spec": {"kind": "ConstantLR"}}]}""")]
    [InlineData("""{"schedules": [{"label": "a", "spec": null}]}""")]
    public async Task Nulls_in_a_request_are_400_with_a_message(string body)
    {
        await using var server = await ExplorerServer.StartAsync(0);
        using var http = new HttpClient { BaseAddress = server.Url };
        var response = await http.PostAsync("/api/update", Json(body));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("null", (string?)JsonNode.Parse(await response.Content.ReadAsStringAsync())!["error"]);
    }

    [Fact]
    public async Task A_huge_label_is_refused_at_once_and_a_huge_body_is_413()
    {
        await using var server = await ExplorerServer.StartAsync(0);
        using var http = new HttpClient { BaseAddress = server.Url, Timeout = TimeSpan.FromSeconds(20) };
        var clock = Stopwatch.StartNew();
        string label = new('x', 100_000); // before the bound, a 200 KB label took over a minute to render
        var response = await http.PostAsync("/api/update", Json("{\"schedules\": [{\"label\": \"" + label + "\", \"spec\": {\"kind\": \"ConstantLR\"}}]}"));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("label", await response.Content.ReadAsStringAsync());
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(5), $"took {clock.Elapsed}");

        string big = new('y', (int)RequestLimits.MaxBodyBytes + 10);
        response = await http.PostAsync("/api/update", Json("{\"schedules\": [], \"pad\": \"" + big + "\"}"));
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
    }

    [Theory]
    [InlineData("evil.example")]
    [InlineData("127.0.0.1.nip.io")]
    [InlineData("localhost.evil.example:80")]
    public async Task Only_loopback_host_headers_are_served(string host)
    {
        await using var server = await ExplorerServer.StartAsync(0);
        using var http = new HttpClient { BaseAddress = server.Url };
        var request = new HttpRequestMessage(HttpMethod.Get, "/");
        request.Headers.Host = host;
        var response = await http.SendAsync(request);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("not a loopback name", await response.Content.ReadAsStringAsync());

        var ok = new HttpRequestMessage(HttpMethod.Get, "/");
        ok.Headers.Host = $"localhost:{server.Url.Port}";
        Assert.Equal(HttpStatusCode.OK, (await http.SendAsync(ok)).StatusCode);
    }

    [Fact]
    public void An_update_whose_client_left_stops_instead_of_rendering()
    {
        var request = new ExploreRequest
        {
            Steps = 300,
            Schedules = [new ScheduleEntry("c", new JsonObject { ["kind"] = "ConstantLR" })],
        };
        Assert.NotEmpty(ExplorerEngine.Update(request).Charts);
        using var aborted = new CancellationTokenSource();
        aborted.Cancel();
        Assert.ThrowsAny<OperationCanceledException>(() => ExplorerEngine.Update(request, aborted.Token));
    }
}
