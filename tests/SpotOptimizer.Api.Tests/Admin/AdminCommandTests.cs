using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using SpotOptimizer.Testing;

namespace SpotOptimizer.Api.Tests.Admin;

/// <summary>
/// <c>dotnet run --project Api -- admin create --email …</c>, run as a user runs it: the built Api assembly in its own
/// process against the database the server then uses.
/// </summary>
public abstract class AdminCommandTests(bool postgres) : IAsyncLifetime
{
    private readonly TempDirectory _temp = new();
    private (PostgresServer Server, string Database)? _database;
    private string[] _storage = [];

    public async Task InitializeAsync()
    {
        if (!postgres)
        {
            _storage = [$"--SPOTOPT_DATA_DIR={_temp.Child("data")}"];
            return;
        }

        var server = await PostgresServer.RequireAsync();
        var database = await server.CreateDatabaseAsync();
        _database = (server, database);
        _storage = ["--Storage:Provider=postgres", $"--ConnectionStrings:Postgres={database}"];
    }

    public async Task DisposeAsync()
    {
        if (_database is var (server, database)) await server.DropDatabaseAsync(database);
        _temp.Dispose();
    }

    [SkippableFact]
    public async Task Create_ThenTheServerSignsTheAdminIn_AndASecondCreateChangesNothing()
    {
        var created = await RunAsync(["admin", "create", "--email", "root@platform-ops.io", "--password", "Bootstrap-Admin-77!", .. _storage]);
        Assert.True(created.ExitCode == 0, created.ToString());
        Assert.Contains("Created super admin root@platform-ops.io", created.Output, StringComparison.Ordinal);

        var again = await RunAsync(["admin", "create", "--email", "ROOT@platform-ops.io", "--password", "Another-Admin-88!", .. _storage]);
        Assert.Equal(1, again.ExitCode);
        Assert.Contains("already exists", again.Error, StringComparison.Ordinal);

        await using var app = App();
        var admin = await SignInAsync(app, "root@platform-ops.io", "Bootstrap-Admin-77!");
        Assert.Equal("super_admin", admin.Role);
        using var clients = await admin.Http.GetAsync("/api/admin/clients");
        Assert.Equal(HttpStatusCode.OK, clients.StatusCode);
    }

    [SkippableFact]
    public async Task Create_WithoutPassword_GeneratesOneShownOnce_ThatSignsIn()
    {
        var created = await RunAsync(["admin", "create", "--email", "oncall@platform-ops.io", .. _storage]);
        Assert.True(created.ExitCode == 0, created.ToString());
        var password = created.Output.Split('\n').Single(l => l.StartsWith("Generated password (shown once): ", StringComparison.Ordinal))
            ["Generated password (shown once): ".Length..].Trim();

        await using var app = App();
        Assert.Equal("super_admin", (await SignInAsync(app, "oncall@platform-ops.io", password)).Role);
    }

    [SkippableTheory]
    [InlineData(2, "--email is required", "admin", "create")]
    [InlineData(2, "usage: admin create", "admin", "delete", "--email", "x@platform-ops.io")]
    [InlineData(1, "The password must be at least", "admin", "create", "--email", "weak@platform-ops.io", "--password", "short")]
    [InlineData(1, "--email is not a valid email address", "admin", "create", "--email", "not-an-email", "--password", "Bootstrap-Admin-77!")]
    public async Task BadInvocation_ExitsNonZeroWithAMessage_AndCreatesNothing(int exitCode, string message, params string[] args)
    {
        var result = await RunAsync([.. args, .. _storage]);

        Assert.True(result.ExitCode == exitCode, result.ToString());
        Assert.Contains(message, result.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("Created", result.Output, StringComparison.Ordinal);
    }

    private SpotOptimizerApp App() => postgres
        ? SpotOptimizerApp.Postgres(_database!.Value.Database)
        : SpotOptimizerApp.With(new Dictionary<string, string?> { [SpotOptimizer.Silo.Storage.SiloStorage.DataDirectoryKey] = _temp.Child("data") });

    private static async Task<(HttpClient Http, string Role)> SignInAsync(SpotOptimizerApp app, string email, string password)
    {
        var http = app.CreateClient();
        using var login = await http.PostAsJsonAsync("/api/auth/token", new { email, password });
        var body = await TenantClient.ExpectAsync(login, HttpStatusCode.OK);
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", body.GetProperty("jwt_token").GetString());
        return (http, body.GetProperty("role").GetString()!);
    }

    private async Task<CommandOutcome> RunAsync(string[] args)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = WorkingDirectory(),
        };
        start.ArgumentList.Add(typeof(Program).Assembly.Location);
        foreach (var arg in args) start.ArgumentList.Add(arg);
        start.Environment.Remove(SpotOptimizer.Api.Cli.AdminCommand.PasswordVariable);
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var deadline = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        await process.WaitForExitAsync(deadline.Token);
        return new CommandOutcome(process.ExitCode, await output, await error);
    }

    /// <summary>An empty folder, so no appsettings.json of the build output is read.</summary>
    private string WorkingDirectory() => Directory.CreateDirectory(_temp.Child("cwd")).FullName;

    private sealed record CommandOutcome(int ExitCode, string Output, string Error);
}

public sealed class SqliteAdminCommandTests() : AdminCommandTests(postgres: false);

public sealed class PostgresAdminCommandTests() : AdminCommandTests(postgres: true);
