using System.Diagnostics.Metrics;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace SpotOptimizer.Cloud.Aws;

/// <summary>
/// The real cloud: STS through AWSSDK.SecurityToken, EC2 through AWSSDK.EC2, EKS and Auto Scaling over HTTP signed with
/// AWSSDK.Core's SigV4 (their SDK packages are not available to us). One retry policy and one meter for all of them. Node drain is
/// the cluster agent's (Kubernetes eviction): here it only fails with <see cref="CloudErrorCodes.AgentNotConnected"/>, for a cluster whose agent does not poll.
/// </summary>
public sealed class AwsCloud : ICloudProvider, IDisposable
{
    private readonly AwsSts _sts;
    private readonly HttpClient _http;
    private readonly bool _ownsHttp;

    /// <param name="handler">The HTTP transport; a pooled <see cref="SocketsHttpHandler"/> without redirects when null.</param>
    /// <param name="meterFactory">Where <see cref="Metrics"/>' meter comes from (the host's); a meter of its own when null.</param>
    public AwsCloud(AwsCloudOptions options, TimeProvider? timeProvider = null, ILogger<AwsCloud>? logger = null, HttpMessageHandler? handler = null,
        IMeterFactory? meterFactory = null)
    {
        var time = timeProvider ?? TimeProvider.System;
        Metrics = new AwsMetrics(meterFactory);
        var retry = new AwsRetry(options, time, logger ?? (ILogger)NullLogger.Instance, Metrics);
        var sdkHttp = handler is null ? null : new HandlerHttpClientFactory(handler);
        _ownsHttp = handler is null;
        // Redirects must not be followed below the signer: a redirected hop would carry a signature for another URL.
        _http = new HttpClient(handler ?? new SocketsHttpHandler { AllowAutoRedirect = false, PooledConnectionLifetime = TimeSpan.FromMinutes(5) }, _ownsHttp)
        {
            Timeout = Timeout.InfiniteTimeSpan,
        };
        _sts = new AwsSts(options, retry, sdkHttp);
        var client = new SignedAwsClient(_http, options, time, retry);
        var ec2 = new AwsEc2(new Ec2Api(options, retry, time, sdkHttp), options);
        var eks = new AwsEks(client, options);
        var autoScaling = new AwsAutoScaling(client, options);
        Ec2 = ec2;
        Eks = eks;
        Permissions = new AwsPermissions(ec2, eks, autoScaling);
        SpotMarket = new AwsSpotMarket(ec2);
        Instances = new AwsInstances(ec2, new AwsFleet(ec2, time));
        AutoScaling = autoScaling;
        Volumes = new AwsVolumes(ec2);
        Nodes = new AwsNodeDrain();
        Events = new AwsInstanceEvents(options, retry);
    }

    /// <summary>Calls and retries of this provider (<see cref="AwsMetrics.MeterName"/>).</summary>
    public AwsMetrics Metrics { get; }

    public ICloudPermissions Permissions { get; }

    public IEc2Inventory Ec2 { get; }

    public IEksClusters Eks { get; }

    public ISpotMarket SpotMarket { get; }

    public IInstanceLifecycle Instances { get; }

    public IAutoScaling AutoScaling { get; }

    public IVolumes Volumes { get; }

    public INodeDrain Nodes { get; }

    public IInstanceEvents Events { get; }

    public Task<CloudSession> AssumeRoleAsync(RoleRequest request, CancellationToken cancellationToken = default) =>
        _sts.AssumeRoleAsync(request, cancellationToken);

    public void Dispose()
    {
        _sts.Dispose();
        Metrics.Dispose();
        if (_ownsHttp) _http.Dispose();
    }
}
