using System.Net;
using System.Net.Sockets;

namespace TrainKit.Training.Tests.Data;

/// <summary>A tiny HTTP server on 127.0.0.1 and a free port, serving fixed bytes by path.</summary>
sealed class LoopbackHttpServer : IDisposable
{
    readonly HttpListener listener = new();
    readonly Dictionary<string, byte[]> files;
    readonly Task loop;
    int requests;

    public Uri BaseUrl { get; }
    public int Requests => Volatile.Read(ref requests);

    public LoopbackHttpServer(Dictionary<string, byte[]> files)
    {
        this.files = files;
        var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        int port = ((IPEndPoint)probe.LocalEndpoint).Port;
        probe.Stop();
        BaseUrl = new Uri($"http://127.0.0.1:{port}/mirror/");
        listener.Prefixes.Add(BaseUrl.AbsoluteUri);
        listener.Start();
        loop = Task.Run(Serve);
    }

    async Task Serve()
    {
        while (listener.IsListening)
        {
            HttpListenerContext context;
            try { context = await listener.GetContextAsync(); }
            catch (Exception) { return; } // listener stopped
            Interlocked.Increment(ref requests);
            string name = context.Request.Url!.AbsolutePath["/mirror/".Length..];
            if (files.TryGetValue(name, out byte[]? body))
            {
                context.Response.ContentLength64 = body.Length;
                await context.Response.OutputStream.WriteAsync(body);
            }
            else
                context.Response.StatusCode = 404;
            context.Response.Close();
        }
    }

    public void Dispose()
    {
        listener.Stop();
        listener.Close();
        try { loop.Wait(TimeSpan.FromSeconds(5)); } catch (AggregateException) { }
    }
}
