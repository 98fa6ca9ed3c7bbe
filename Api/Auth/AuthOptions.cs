namespace SpotOptimizer.Api.Auth;

/// <summary>Configuration section <c>Auth</c>.</summary>
public sealed class AuthOptions
{
    public const string Section = "Auth";

    public const string Issuer = "spotoptimizer";

    public const string Audience = "spotoptimizer-api";

    /// <summary>Base64 HMAC key (≥ 32 bytes). When empty, one is generated and kept in the data directory.</summary>
    public string? SigningKey { get; set; }

    public TimeSpan TokenLifetime { get; set; } = TimeSpan.FromHours(24);

    /// <summary>Seeded at start-up when both are set; there is no built-in password.</summary>
    public string? SuperAdminEmail { get; set; }

    public string? SuperAdminPassword { get; set; }

    public int SignupsPerHourPerClient { get; set; } = 5;

    public int TokenRequestsPerMinutePerClient { get; set; } = 10;
}
