namespace SpotOptimizer.Cloud;

/// <summary>
/// A failed cloud call. <see cref="Code"/> is stable (see <see cref="CloudErrorCodes"/>) and what callers branch on;
/// <see cref="Retryable"/> says whether the same request may succeed if simply repeated later.
/// </summary>
public sealed class CloudException : Exception
{
    public CloudException(string code, string message, bool retryable = false, Exception? innerException = null)
        : base(message, innerException)
    {
        Code = code;
        Retryable = retryable;
    }

    public CloudException() : this(CloudErrorCodes.CloudError, "The cloud call failed.") { }

    public CloudException(string message) : this(CloudErrorCodes.CloudError, message) { }

    public CloudException(string message, Exception innerException) : this(CloudErrorCodes.CloudError, message, false, innerException) { }

    public string Code { get; }

    public bool Retryable { get; }

    /// <summary>The provider's own error code (e.g. AWS <c>RequestLimitExceeded</c>) when there was one.</summary>
    public string? ProviderCode { get; init; }

    /// <summary>The operation that failed, as an IAM action (e.g. <c>ec2:DescribeInstances</c>).</summary>
    public string? Operation { get; init; }

    /// <summary>The action named by a <c>missing_permission:&lt;action&gt;</c> code, else null.</summary>
    public string? MissingAction =>
        Code.StartsWith(CloudErrorCodes.MissingPermissionPrefix, StringComparison.Ordinal) ? Code[CloudErrorCodes.MissingPermissionPrefix.Length..] : null;

    public static CloudException Throttled(string message = "Rate exceeded.") => new(CloudErrorCodes.Throttled, message, retryable: true);

    public static CloudException Timeout(string message = "The cloud call timed out.") => new(CloudErrorCodes.Timeout, message, retryable: true);

    public static CloudException Unavailable(string message = "The service is unavailable.") => new(CloudErrorCodes.Unavailable, message, retryable: true);

    public static CloudException InsufficientCapacity(string message = "There is no capacity for this request in the pool.") =>
        new(CloudErrorCodes.InsufficientCapacity, message);

    public static CloudException MissingPermission(string action) =>
        new(CloudErrorCodes.MissingPermission(action), $"The role is not allowed to perform {action}.") { Operation = action };
}
