using System.Text.RegularExpressions;

namespace SpotOptimizer.Cloud;

/// <summary>What the product asks STS for: the customer's role, the External ID it was given, a session name.</summary>
/// <param name="RoleArn">The customer's role, <c>arn:aws:iam::&lt;12 digits&gt;:role/&lt;name&gt;</c>.</param>
/// <param name="ExternalId">The External ID (a UUID) generated for this tenant when the link was created.</param>
/// <param name="SessionName">Shows in the customer's CloudTrail; 2–64 of <c>[\w+=,.@-]</c>.</param>
/// <param name="Duration">Session lifetime, 15 minutes to 12 hours; one hour when null.</param>
public sealed partial record RoleRequest(string RoleArn, string ExternalId, string SessionName, TimeSpan? Duration = null)
{
    public static readonly TimeSpan DefaultDuration = TimeSpan.FromHours(1);
    public static readonly TimeSpan MinDuration = TimeSpan.FromMinutes(15);
    public static readonly TimeSpan MaxDuration = TimeSpan.FromHours(12);

    public TimeSpan EffectiveDuration => Duration ?? DefaultDuration;

    /// <summary>
    /// Checks the request against STS's own limits before any call, so a bad request fails the same way on every
    /// provider: <see cref="CloudErrorCodes.InvalidRoleArn"/> or <see cref="CloudErrorCodes.InvalidRequest"/>.
    /// </summary>
    public RoleArn Validate()
    {
        var arn = Cloud.RoleArn.Parse(RoleArn);
        if (ExternalId is null || !ExternalIdPattern().IsMatch(ExternalId))
            throw new CloudException(CloudErrorCodes.InvalidRequest, "The External ID must be 2–1224 characters of [\\w+=,.@:/-].");
        if (SessionName is null || !SessionNamePattern().IsMatch(SessionName))
            throw new CloudException(CloudErrorCodes.InvalidRequest, "The session name must be 2–64 characters of [\\w+=,.@-].");
        if (EffectiveDuration < MinDuration || EffectiveDuration > MaxDuration)
            throw new CloudException(CloudErrorCodes.InvalidRequest, $"The session duration must be between {MinDuration} and {MaxDuration}.");
        return arn;
    }

    [GeneratedRegex(@"^[\w+=,.@:/-]{2,1224}$", RegexOptions.CultureInvariant)]
    private static partial Regex ExternalIdPattern();

    [GeneratedRegex(@"^[\w+=,.@-]{2,64}$", RegexOptions.CultureInvariant)]
    private static partial Regex SessionNamePattern();
}

/// <summary>Temporary credentials issued by STS. The secret never leaves the process in logs (see <see cref="ToString"/>).</summary>
public sealed record TemporaryCredentials(string AccessKeyId, string SecretAccessKey, string SessionToken, DateTimeOffset Expiration)
{
    public override string ToString() => $"TemporaryCredentials {{ AccessKeyId = {AccessKeyId}, Expiration = {Expiration:O} }}";
}

/// <summary>
/// An assumed role: a plain value, so a grain can hold it and pass it on. Re-assume before <see cref="Expiration"/>;
/// a call with an expired session fails with <see cref="CloudErrorCodes.SessionExpired"/>.
/// </summary>
public sealed record CloudSession(RoleArn Role, string SessionName, string AssumedRoleArn, TemporaryCredentials Credentials)
{
    public string AccountId => Role.AccountId;

    public DateTimeOffset Expiration => Credentials.Expiration;

    public bool ExpiresWithin(TimeSpan margin, DateTimeOffset now) => Expiration - margin <= now;
}
