using Microsoft.IdentityModel.Tokens;
using SpotOptimizer.Tenancy.Lifecycle;

namespace SpotOptimizer.Api.Auth;

/// <summary>
/// Ledger checkpoints are signed with a key derived from the platform's JWT key (<c>Auth:SigningKey</c>): every
/// instance sharing a database already shares it, and the derivation keeps the two uses apart.
/// </summary>
public static class CheckpointSigning
{
    public static ICheckpointSigner FromPlatformKey(IServiceProvider services) =>
        new HmacCheckpointSigner(services.GetRequiredService<SymmetricSecurityKey>().Key);
}
