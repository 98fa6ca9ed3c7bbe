using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text.Json;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.Logging;

namespace SpotOptimizer.Bench.Api;

/// <summary>
/// The embedded default — the Api hosting its own Orleans silo (SQLite storage, localhost clustering) and a simulated
/// AWS — on a real Kestrel socket on 127.0.0.1, in a temp data directory.
/// </summary>
internal sealed class LoopbackPlatform : IAsyncDisposable
{
    private readonly WebApplicationFactory<Program> _factory;
    private readonly string _dataDirectory;

    private LoopbackPlatform(WebApplicationFactory<Program> factory, string dataDirectory)
    {
        _factory = factory;
        _dataDirectory = dataDirectory;
    }

    /// <summary>Where Kestrel really listens (port 0 asks the OS for a free port).</summary>
    public Uri BaseAddress => new(_factory.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First()
        .Replace("[::]", "127.0.0.1", StringComparison.Ordinal).Replace("localhost", "127.0.0.1", StringComparison.Ordinal));

    public static Task<LoopbackPlatform> StartAsync()
    {
        var dataDirectory = Path.Combine(Path.GetTempPath(), $"spotopt-bench-{Guid.NewGuid():N}");
        // The factory would look for the Api's source folder; the app needs no content files, so the output folder will do.
        Environment.SetEnvironmentVariable("ASPNETCORE_TEST_CONTENTROOT_SPOTOPTIMIZER_API", AppContext.BaseDirectory);
        var factory = new WebApplicationFactory<Program>().WithWebHostBuilder(web =>
        {
            web.UseSetting("SPOTOPT_DATA_DIR", dataDirectory);
            web.UseSetting("Demo:Enabled", "false");
            web.UseUrls("http://127.0.0.1:0");
            // The silo's fixed default ports may be held by another silo on a shared machine (a test run, a dev server).
            web.UseSetting("Orleans:Endpoints:SiloPort", FreePort().ToString(CultureInfo.InvariantCulture));
            web.UseSetting("Orleans:Endpoints:GatewayPort", FreePort().ToString(CultureInfo.InvariantCulture));
            web.UseSetting("Auth:SignupsPerHourPerClient", "100000");
            web.UseSetting("Auth:TokenRequestsPerMinutePerClient", "100000");
            // Orleans's start-up notes on GC mode and on the watchdog's first check say nothing about a run.
            web.ConfigureLogging(logging => logging.SetMinimumLevel(LogLevel.Warning)
                .AddFilter("Orleans.Runtime.Silo", LogLevel.Error).AddFilter("Orleans.Runtime.Watchdog", LogLevel.Error));
        });
        factory.UseKestrel(0);
        factory.StartServer();
        return Task.FromResult(new LoopbackPlatform(factory, dataDirectory));
    }

    /// <summary>Signs tenants up, links a simulated AWS account each, connects every discovered cluster: (cluster, agent token) pairs.</summary>
    public async Task<IReadOnlyList<string>> ConnectAgentsAsync(int tenants)
    {
        using var http = new HttpClient { BaseAddress = BaseAddress };
        var tokens = new List<string>();
        for (var t = 0; t < tenants; t++)
        {
            var signup = await PostAsync(http, null, "/api/auth/signup", new { org_name = $"Bench {t}", email = $"bench{t}@example.com", password = "Correct-Horse-42" });
            var auth = signup.GetProperty("token").GetString()!;
            var aws = (800000000000L + t).ToString(CultureInfo.InvariantCulture);
            var link = await PostAsync(http, auth, "/api/connect/link", null);
            var stack = await PostAsync(http, auth, "/api/simulator/stacks", new { aws_account_id = aws, external_id = link.GetProperty("external_id").GetString() });
            var account = (await PostAsync(http, auth, "/api/connect/verify", new { account_id = aws, role_arn = stack.GetProperty("role_arn").GetString() }))
                .GetProperty("account_id").GetString();
            JsonElement found;
            do
            {
                await Task.Delay(20);
                found = await GetAsync(http, auth, $"/api/clusters/discover?account_id={account}");
            }
            while (found.GetProperty("clusters").GetArrayLength() == 0);

            foreach (var cluster in found.GetProperty("clusters").EnumerateArray())
            {
                var connected = await PostAsync(http, auth, "/api/clusters/connect", new { cluster_id = cluster.GetProperty("cluster_id").GetString() });
                tokens.Add(connected.GetProperty("agent_token").GetString()!);
            }
        }

        return tokens;
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    public async ValueTask DisposeAsync()
    {
        await _factory.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        if (Directory.Exists(_dataDirectory)) Directory.Delete(_dataDirectory, recursive: true);
    }

    private static async Task<JsonElement> PostAsync(HttpClient http, string? token, string url, object? body)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = body is null ? null : JsonContent.Create(body) };
        if (token is not null) request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        using var response = await http.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        if (!response.IsSuccessStatusCode) throw new InvalidOperationException($"{url} answered {(int)response.StatusCode}: {text}");
        return JsonDocument.Parse(text).RootElement.Clone();
    }

    private static async Task<JsonElement> GetAsync(HttpClient http, string token, string url)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, url);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        using var response = await http.SendAsync(request);
        return JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.Clone();
    }
}
