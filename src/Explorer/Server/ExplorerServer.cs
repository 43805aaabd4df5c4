using System.Net;
using System.Reflection;
using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using TrainKit.Explorer.Schedules;

namespace TrainKit.Explorer.Server;

/// <summary>
/// The explorer's web server, on 127.0.0.1 unless the caller names another address. Endpoints:
/// <list type="bullet">
/// <item>GET / (and /app.js, /app.css): the page, served from embedded resources (no CDN: works offline);</item>
/// <item>GET /api/kinds?steps=N: every schedule kind with its parameter metadata, for the form builder;</item>
/// <item>POST /api/update: an <see cref="ExploreRequest"/> → <see cref="ExploreResponse"/> (SVG charts, errors, exports, timings).</item>
/// </list>
/// </summary>
public sealed class ExplorerServer : IAsyncDisposable
{
    readonly WebApplication _app;

    /// <summary>The address the page is served at, e.g. http://127.0.0.1:5000/.</summary>
    public Uri Url { get; }

    ExplorerServer(WebApplication app, Uri url) { _app = app; Url = url; }

    /// <summary>The address the explorer listens on unless the caller names another one.</summary>
    public static readonly IPAddress DefaultHost = IPAddress.Loopback;

    /// <summary>Starts listening on 127.0.0.1:<paramref name="port"/> (0: a free port chosen by the OS).</summary>
    public static Task<ExplorerServer> StartAsync(int port, CancellationToken cancellationToken = default) =>
        StartAsync(DefaultHost, port, cancellationToken);

    /// <summary>Starts listening on <paramref name="host"/>:<paramref name="port"/>. Only this argument chooses
    /// the address: ASPNETCORE_URLS and similar settings cannot widen it, so a non-loopback address (e.g. 0.0.0.0
    /// in a container) is only ever used when the caller asked for it.</summary>
    public static async Task<ExplorerServer> StartAsync(IPAddress host, int port, CancellationToken cancellationToken = default)
    {
        // Messages without a parameter name: the CLI prints them as its one error line.
        if (port is < 0 or > 65535) throw new ArgumentException($"--port must be in [0, 65535], got {port}");
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        // Bounded requests: the page sends a few KB; anything far larger is a mistake or an attack.
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.Listen(host, port);
            kestrel.Limits.MaxRequestBodySize = RequestLimits.MaxBodyBytes;
            kestrel.Limits.MaxRequestHeadersTotalSize = 32 * 1024;
            kestrel.Limits.MaxRequestLineSize = 8 * 1024;
        });
        // A diverged simulation may still leave an infinity somewhere: write it rather than fail the update.
        builder.Services.ConfigureHttpJsonOptions(o => o.SerializerOptions.NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals);
        var app = builder.Build();
        MapEndpoints(app);
        try { await app.StartAsync(cancellationToken); }
        catch (IOException ex) { throw new ArgumentException($"--port {port}: cannot listen on {new IPEndPoint(host, port)} ({ex.Message})", ex); }
        string address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return new ExplorerServer(app, new Uri(address.TrimEnd('/') + "/"));
    }

    static void MapEndpoints(WebApplication app)
    {
        // DNS rebinding: a page on evil.example whose name resolves to 127.0.0.1 reaches this port with its own Host.
        app.Use(async (context, next) =>
        {
            if (!RequestLimits.IsLoopbackHost(context.Request.Host))
            {
                context.Response.StatusCode = StatusCodes.Status400BadRequest;
                await context.Response.WriteAsJsonAsync(new { error = $"Host '{context.Request.Host}' is not a loopback name (127.0.0.1, localhost, [::1]); the explorer serves only this machine" });
                return;
            }
            await next(context);
        });
        app.MapGet("/", () => Asset("index.html", "text/html; charset=utf-8"));
        app.MapGet("/app.js", () => Asset("app.js", "text/javascript; charset=utf-8"));
        app.MapGet("/app.css", () => Asset("app.css", "text/css; charset=utf-8"));
        // The query is parsed here: a framework binding failure ("abc") would be a 400 with an empty body.
        app.MapGet("/api/kinds", (string? steps) =>
            string.IsNullOrEmpty(steps) ? Results.Json(KindForm.All(300))
            : int.TryParse(steps, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out int n) && n is >= 1 and <= 5000
                ? Results.Json(KindForm.All(n))
                : Results.BadRequest(new { error = $"steps must be a whole number in [1, 5000], got '{(steps.Length > 40 ? steps[..40] + "…" : steps)}'" }));
        app.MapPost("/api/update", async (HttpContext context) =>
        {
            // The body is read here rather than bound by the framework: a binding failure would be a 400 with an empty
            // body, where the page (and a person with curl) needs to know which value was wrong.
            ExploreRequest? request;
            try { request = await context.Request.ReadFromJsonAsync<ExploreRequest>(context.RequestAborted); }
            catch (JsonException ex) { return Results.BadRequest(new { error = RequestLimits.Describe(ex) }); }
            catch (InvalidOperationException ex) { return Results.Json(new { error = ex.Message }, statusCode: StatusCodes.Status415UnsupportedMediaType); }
            catch (BadHttpRequestException ex) { return Results.Json(new { error = ex.Message }, statusCode: ex.StatusCode); }
            if (RequestLimits.Problem(request) is string problem) return Results.BadRequest(new { error = problem });
            try { return Results.Json(ExplorerEngine.Update(request!, context.RequestAborted)); }
            catch (OperationCanceledException) when (context.RequestAborted.IsCancellationRequested)
            {
                return Results.StatusCode(499); // the client left: nothing is rendered for it any more
            }
        });
    }

    static IResult Asset(string name, string contentType)
    {
        using var stream = Assembly.GetExecutingAssembly().GetManifestResourceStream($"wwwroot/{name}")
            ?? throw new InvalidOperationException($"embedded asset wwwroot/{name} is missing from the build");
        using var reader = new StreamReader(stream);
        return Results.Text(reader.ReadToEnd(), contentType);
    }

    /// <summary>Serves until <paramref name="cancellationToken"/> fires (Ctrl+C in the CLI), then stops cleanly.</summary>
    public async Task WaitAsync(CancellationToken cancellationToken)
    {
        try { await Task.Delay(Timeout.Infinite, cancellationToken); }
        catch (OperationCanceledException) { }
        // A browser tab keeps a keep-alive connection open; the host's default graceful shutdown would wait up to
        // 30 s for it. A local page has nothing in flight worth that wait.
        using var grace = new CancellationTokenSource(TimeSpan.FromSeconds(3));
        await _app.StopAsync(grace.Token);
    }

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();
}
