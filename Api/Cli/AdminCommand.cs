using System.Security.Cryptography;
using Microsoft.AspNetCore.Identity;
using SpotOptimizer.Api.Apis;
using SpotOptimizer.Api.Auth;
using SpotOptimizer.Silo.Storage;
using SpotOptimizer.Tenancy;

namespace SpotOptimizer.Api.Cli;

/// <summary>
/// <c>dotnet run --project Api -- admin create --email &lt;email&gt; [--password &lt;password&gt;]</c>: creates the platform's
/// super admin in the configured database (same keys as the server: <c>Storage:Provider</c>, <c>SPOTOPT_DATA_DIR</c>,
/// <c>ConnectionStrings:Postgres</c>) and exits, without starting a silo. The password comes from <c>--password</c>, else
/// the environment variable <c>SPOTOPT_ADMIN_PASSWORD</c> (kept out of shell history), else one is generated and
/// printed once.
/// </summary>
public static class AdminCommand
{
    public const string PasswordVariable = "SPOTOPT_ADMIN_PASSWORD";

    private const string Usage = "usage: admin create --email <email> [--password <password>] [--<configuration key>=<value> ...]";

    public static bool Matches(string[] args) => args.Length > 0 && args[0] == "admin";

    /// <returns>0 created, 1 refused (exists, weak password, storage error), 2 usage.</returns>
    public static async Task<int> RunAsync(string[] args, TextWriter output, TextWriter error)
    {
        if (args.Length < 2 || args[1] != "create") return Fail(error, 2, Usage);
        var (email, password, configuration, problem) = Parse(args[2..]);
        if (problem is not null) return Fail(error, 2, $"{problem}\n{Usage}");
        password ??= Environment.GetEnvironmentVariable(PasswordVariable);
        var generated = string.IsNullOrEmpty(password);
        if (generated) password = Generate();

        var errors = new Http.ValidationErrors();
        if (EmailRule.Check(email!, errors) is false) return Fail(error, 1, $"--email {string.Join(" ", errors.ToDictionary().SelectMany(e => e.Value))}");
        var weaknesses = PasswordPolicy.Problems(password!, email!).ToList();
        if (weaknesses.Count > 0) return Fail(error, 1, $"The password {string.Join(" ", weaknesses)}");

        await using var services = Services(configuration);
        try
        {
            await services.GetRequiredService<TenancyDatabase>().ApplySchemaAsync(CancellationToken.None);
            var identity = services.GetRequiredService<IdentityStore>();
            if (await identity.FindByEmailAsync(email!, CancellationToken.None) is not null)
                return Fail(error, 1, $"An account with the email {email} already exists; nothing was changed.");
            var hash = services.GetRequiredService<IPasswordHasher<User>>().HashPassword(null!, password!);
            var created = await identity.SignupAsync(SuperAdminSeeder.PlatformOrganization, email!, hash, Roles.SuperAdmin, CancellationToken.None);
            output.WriteLine($"Created super admin {created.User.Email} (user {created.User.Id}) in {SiloStorage.FromConfiguration(configuration).Location}.");
            if (generated) output.WriteLine($"Generated password (shown once): {password}");
            return 0;
        }
        catch (DuplicateException)
        {
            return Fail(error, 1, $"An account with the email {email} already exists; nothing was changed.");
        }
        catch (Exception exception) when (exception is System.Data.Common.DbException or InvalidOperationException)
        {
            return Fail(error, 1, $"Could not create the super admin: {exception.Message}");
        }
    }

    private static (string? Email, string? Password, IConfiguration Configuration, string? Problem) Parse(string[] args)
    {
        string? email = null, password = null;
        var rest = new List<string>();
        for (var i = 0; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "--email" when i + 1 < args.Length: email = args[++i]; break;
                case "--password" when i + 1 < args.Length: password = args[++i]; break;
                case "--email" or "--password": return (null, null, null!, $"{args[i]} needs a value.");
                default: rest.Add(args[i]); break;
            }
        }

        // The server's own sources, so the command writes to the database the server would use.
        var configuration = new ConfigurationBuilder()
            .AddJsonFile("appsettings.json", optional: true)
            .AddJsonFile($"appsettings.{Environment.GetEnvironmentVariable("ASPNETCORE_ENVIRONMENT") ?? "Production"}.json", optional: true)
            .AddEnvironmentVariables()
            .AddCommandLine([.. rest])
            .Build();
        return string.IsNullOrWhiteSpace(email) ? (null, null, configuration, "--email is required.") : (email.Trim(), password, configuration, null);
    }

    private static ServiceProvider Services(IConfiguration configuration)
    {
        var services = new ServiceCollection();
        services.AddSingleton(TimeProvider.System);
        services.AddLogging();
        SiloStorage.FromConfiguration(configuration).AddDatabase(services);
        services.AddTenancy();
        // No silo runs here: nothing listens to the live feed, and no one is impersonated.
        services.AddSingleton<IActivityPublisher, NoLiveFeed>();
        services.AddSingleton<ICallerContext, NoCaller>();
        services.AddSingleton<IPasswordHasher<User>, PasswordHasher<User>>();
        return services.BuildServiceProvider();
    }

    private static string Generate() =>
        // 24 random bytes in URL-safe Base64 plus a fixed mix of classes, so the policy always accepts it.
        Convert.ToBase64String(RandomNumberGenerator.GetBytes(24)).Replace('+', '-').Replace('/', '_') + "-Aa1";

    private static int Fail(TextWriter error, int code, string message)
    {
        error.WriteLine(message);
        return code;
    }

    private sealed class NoLiveFeed : IActivityPublisher
    {
        public Task PublishAsync(LedgerEntry entry) => Task.CompletedTask;
    }

    private sealed class NoCaller : ICallerContext
    {
        public string? Impersonator => null;
    }
}
