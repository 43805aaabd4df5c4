using System.Diagnostics;
using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using TrainKit.Explorer.Server;
using Xunit.Abstractions;

namespace TrainKit.Explorer.Tests;

/// <summary>
/// A seeded request fuzzer on 127.0.0.1 (#16): every value of a valid <c>/api/update</c> request replaced in turn by
/// hostile values (nulls, wrong types, overflowing and huge numbers, long strings), broken bodies, and hostile query
/// values for <c>/api/kinds</c>. Each answer must come within a bound, never be a 5xx, and a 4xx must carry a message.
/// Prints <c>explorer fuzz: tried / clean / server errors / slow / unnamed</c>.
/// </summary>
public class ExplorerRequestFuzzTests(ITestOutputHelper output)
{
    static readonly TimeSpan Bound = TimeSpan.FromSeconds(10);

    const string Valid = """
        {"steps": 300, "base_lr": 0.15, "weight_decay": 0.0005, "momentum": 0.9, "x_in_epochs": false,
         "lambda_max": 10, "lambda_min": 1, "noise": 1,
         "schedules": [{"label": "warmup-cosine", "spec": {"kind": "WarmupCosine", "params": {"warmup_steps": 30, "min_lr_ratio": 0.1}}},
                       {"label": "step", "spec": {"kind": "StepLR", "params": {"step_size": 100, "gamma": 0.5}, "unit": "steps"}}]}
        """;

    static readonly JsonNode?[] Hostile =
    [
        null, "", "x", true, new JsonArray(), new JsonObject(), -1, 0, 0.5, 1e308, -1e308, 2147483648L, 1_000_000_000, "NaN",
        new string('z', 5000),
    ];

    /// <summary>Dotted paths (array items as numbers) of every value in <paramref name="node"/>.</summary>
    static IEnumerable<string[]> Paths(JsonNode? node, string[] prefix)
    {
        if (prefix.Length > 0) yield return prefix;
        if (node is JsonObject o)
            foreach (var (key, value) in o) foreach (var p in Paths(value, [.. prefix, key])) yield return p;
        else if (node is JsonArray a)
            for (int i = 0; i < a.Count; i++) foreach (var p in Paths(a[i], [.. prefix, i.ToString(System.Globalization.CultureInfo.InvariantCulture)])) yield return p;
    }

    static string Replaced(string[] path, JsonNode? value)
    {
        JsonNode root = JsonNode.Parse(Valid)!;
        JsonNode parent = root;
        foreach (string step in path[..^1]) parent = parent is JsonArray a ? a[int.Parse(step, System.Globalization.CultureInfo.InvariantCulture)]! : parent[step]!;
        if (parent is JsonArray array) array[int.Parse(path[^1], System.Globalization.CultureInfo.InvariantCulture)] = value?.DeepClone();
        else parent[path[^1]] = value?.DeepClone();
        return root.ToJsonString();
    }

    [Trait("Category", "Slow")]
    [Fact]
    public async Task Hostile_requests_get_a_bounded_answer_never_a_server_error_and_a_4xx_names_the_problem()
    {
        await using var server = await ExplorerServer.StartAsync(0);
        using var http = new HttpClient { BaseAddress = server.Url, Timeout = Bound + TimeSpan.FromSeconds(5) };

        var requests = new List<(string What, Func<HttpRequestMessage> Make)>();
        foreach (var path in Paths(JsonNode.Parse(Valid), []))
            foreach (var value in Hostile)
            {
                string body = Replaced(path, value);
                requests.Add(($"{string.Join('.', path)} = {(value?.ToJsonString() ?? "null")[..Math.Min(20, (value?.ToJsonString() ?? "null").Length)]}",
                    () => new HttpRequestMessage(HttpMethod.Post, "/api/update") { Content = new StringContent(body, Encoding.UTF8, "application/json") }));
            }
        string[] brokenBodies = ["", "{", "[]", "123", "\"text\"", new string('[', 5000) + new string(']', 5000), "{\"steps\": 300, \"steps\": 1}", "{\"schedules\": [{}]}"];
        foreach (string body in brokenBodies)
            requests.Add(($"body {body[..Math.Min(12, body.Length)]}", () => new HttpRequestMessage(HttpMethod.Post, "/api/update") { Content = new StringContent(body, Encoding.UTF8, "application/json") }));
        requests.Add(("invalid UTF-8", () => new HttpRequestMessage(HttpMethod.Post, "/api/update") { Content = new ByteArrayContent([0x7b, 0xff, 0xfe, 0x7d]) { Headers = { ContentType = new("application/json") } } }));
        requests.Add(("text/plain body", () => new HttpRequestMessage(HttpMethod.Post, "/api/update") { Content = new StringContent(Valid, Encoding.UTF8, "text/plain") }));
        foreach (string steps in new[] { "0", "-1", "5001", "abc", "1e9", "99999999999999999999", "" })
            requests.Add(($"kinds steps={steps}", () => new HttpRequestMessage(HttpMethod.Get, $"/api/kinds?steps={Uri.EscapeDataString(steps)}")));

        int tried = 0, clean = 0, serverErrors = 0, slow = 0, unnamed = 0;
        var failures = new List<string>();
        foreach (var (what, make) in requests)
        {
            tried++;
            var clock = Stopwatch.StartNew();
            HttpResponseMessage response;
            try { response = await http.SendAsync(make()); }
            catch (TaskCanceledException) { slow++; failures.Add($"{what}: no answer within {http.Timeout}"); continue; }
            string text = await response.Content.ReadAsStringAsync();
            int status = (int)response.StatusCode;
            if (status >= 500) { serverErrors++; failures.Add($"{what}: {status} {text[..Math.Min(200, text.Length)]}"); }
            else if (clock.Elapsed > Bound) { slow++; failures.Add($"{what}: {clock.Elapsed.TotalSeconds:F1} s"); }
            else if (status >= 400 && text.Trim().Length == 0) { unnamed++; failures.Add($"{what}: {status} with an empty body"); }
            else clean++;
        }
        string summary = $"explorer fuzz: tried {tried}, clean {clean}, server errors {serverErrors}, slow {slow}, unnamed {unnamed}";
        output.WriteLine(summary);
        foreach (string failure in failures) output.WriteLine(failure);
        TrainKit.Tests.HarnessLog.Write(summary);
        Assert.True(tried > 300, summary);
        Assert.True(failures.Count == 0, summary + "\n" + string.Join("\n", failures.Take(40)));
    }
}
