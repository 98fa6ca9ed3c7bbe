using Amazon.Runtime;

namespace SpotOptimizer.Cloud.Aws;

public sealed class AwsCloudOptions
{
    /// <summary>
    /// Our own (SaaS) identity that assumes the customers' roles. Null: the SDK's default chain (environment,
    /// profile, container or instance role) — the production setting.
    /// </summary>
    public AWSCredentials? Credentials { get; set; }

    /// <summary>The region whose STS endpoint we call (regional endpoints are recommended over the global one).</summary>
    public string StsRegion { get; set; } = "us-east-1";

    public AwsEndpoints Endpoints { get; set; } = new();

    /// <summary>Per attempt; a call that exceeds it fails with <see cref="CloudErrorCodes.Timeout"/> (and is retried).</summary>
    public TimeSpan RequestTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Retries after the first attempt for throttling, 5xx and timeouts.</summary>
    public int MaxRetries { get; set; } = 4;

    /// <summary>First backoff; doubles each retry, with jitter.</summary>
    public TimeSpan RetryBaseDelay { get; set; } = TimeSpan.FromMilliseconds(250);

    public TimeSpan MaxRetryDelay { get; set; } = TimeSpan.FromSeconds(20);

    /// <summary>DescribeInstances page size (EC2 allows 5–1000).</summary>
    public int DescribeInstancesPageSize { get; set; } = 1000;
}

/// <summary>
/// Endpoint per service as a template with a <c>{region}</c> placeholder. Tests point all of them at a loopback
/// server; GovCloud/China or VPC endpoints are a configuration change.
/// </summary>
public sealed class AwsEndpoints
{
    public string Sts { get; set; } = "https://sts.{region}.amazonaws.com/";

    public string Ec2 { get; set; } = "https://ec2.{region}.amazonaws.com/";

    public string Eks { get; set; } = "https://eks.{region}.amazonaws.com/";

    public string AutoScaling { get; set; } = "https://autoscaling.{region}.amazonaws.com/";

    /// <summary>SQS, for the account's EventBridge queue of instance events (the queue URL itself names the account).</summary>
    public string Sqs { get; set; } = "https://sqs.{region}.amazonaws.com/";

    /// <summary>Every service at one base address, under <c>/{service}/{region}/</c>: what the loopback tests use.</summary>
    public static AwsEndpoints AllAt(Uri baseAddress)
    {
        var root = baseAddress.ToString().TrimEnd('/');
        return new AwsEndpoints
        {
            Sts = root + "/sts/{region}/",
            Ec2 = root + "/ec2/{region}/",
            Eks = root + "/eks/{region}/",
            AutoScaling = root + "/autoscaling/{region}/",
            Sqs = root + "/sqs/{region}/",
        };
    }

    internal static Uri Resolve(string template, string region)
    {
        var resolved = template.Replace("{region}", region, StringComparison.Ordinal);
        return new Uri(resolved.EndsWith('/') ? resolved : resolved + "/");
    }
}
