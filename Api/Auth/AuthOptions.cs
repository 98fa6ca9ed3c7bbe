namespace SpotOptimizer.Api.Auth;

/// <summary>Configuration section <c>Auth</c>.</summary>
public sealed class AuthOptions
{
    public const string Section = "Auth";

    public const string Issuer = "spotoptimizer";

    public const string Audience = "spotoptimizer-api";

    /// <summary>Base64 HMAC key (≥ 32 bytes). When empty, one is generated and kept in the data directory.</summary>
    public string? SigningKey { get; set; }

    /// <summary>How long an access token (JWT) is valid; a refresh token gets the next one.</summary>
    public TimeSpan? AccessTokenLifetime { get; set; }

    /// <summary>Deprecated name of <see cref="AccessTokenLifetime"/>, still honoured when that is not set.</summary>
    public TimeSpan? TokenLifetime { get; set; }

    public TimeSpan AccessLifetime => AccessTokenLifetime ?? TokenLifetime ?? TimeSpan.FromMinutes(15);

    /// <summary>How long each refresh token is valid; every refresh hands out a new one.</summary>
    public TimeSpan RefreshTokenLifetime { get; set; } = TimeSpan.FromDays(30);

    /// <summary>How long an e-mailed password-reset link works (once).</summary>
    public TimeSpan PasswordResetLifetime { get; set; } = TimeSpan.FromHours(1);

    /// <summary>How long an e-mailed invitation can be accepted (once).</summary>
    public TimeSpan InvitationLifetime { get; set; } = TimeSpan.FromDays(7);

    /// <summary>Seeded at start-up when both are set; there is no built-in password.</summary>
    public string? SuperAdminEmail { get; set; }

    public string? SuperAdminPassword { get; set; }

    public int SignupsPerHourPerClient { get; set; } = 5;

    public int TokenRequestsPerMinutePerClient { get; set; } = 10;

    public int PasswordResetsPerHourPerClient { get; set; } = 5;
}
