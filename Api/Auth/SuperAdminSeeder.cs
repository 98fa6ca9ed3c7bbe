using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;
using SpotOptimizer.Tenancy;

namespace SpotOptimizer.Api.Auth;

/// <summary>Creates the platform's super admin from configuration on start-up, once; never with a built-in password.</summary>
internal sealed class SuperAdminSeeder(IOptions<AuthOptions> options, IdentityStore identity, IPasswordHasher<User> hasher) : IHostedService
{
    /// <summary>The organization super admins belong to (their ledger holds the platform's own actions).</summary>
    public const string PlatformOrganization = "SpotOptimizer platform";

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var (email, password) = (options.Value.SuperAdminEmail, options.Value.SuperAdminPassword);
        if (string.IsNullOrWhiteSpace(email) || string.IsNullOrWhiteSpace(password)) return;
        var weaknesses = PasswordPolicy.Problems(password, email).ToList();
        if (weaknesses.Count > 0) throw new InvalidOperationException($"Auth:SuperAdminPassword {string.Join(" ", weaknesses)}");
        if (await identity.FindByEmailAsync(email, cancellationToken) is not null) return;
        try
        {
            await identity.SignupAsync(PlatformOrganization, email, hasher.HashPassword(null!, password), Roles.SuperAdmin, cancellationToken);
        }
        catch (DuplicateException)
        {
            // Another instance seeded it at the same moment.
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
