namespace SpotOptimizer.Cloud.Tests.Aws;

/// <summary>
/// Answers of the Spot market, instance lifecycle, Auto Scaling and volume calls, in the shapes of the EC2 2016-11-15
/// and Auto Scaling 2011-01-01 API references (their example responses, trimmed to the fields around what we read).
/// </summary>
public static class AwsWriteResponses
{
    private const string Ec2Ns = "http://ec2.amazonaws.com/doc/2016-11-15/";
    private const string AutoScalingNs = "http://autoscaling.amazonaws.com/doc/2011-01-01/";

    public static FakeResponse SpotPriceHistory(string? nextToken, params (string Zone, string Type, string Price, string Timestamp)[] prices) => new(200, $"""
        <?xml version="1.0" encoding="UTF-8"?>
        <DescribeSpotPriceHistoryResponse xmlns="{Ec2Ns}">
          <requestId>59dbff89-35bd-4eac-99ed-be587EXAMPLE</requestId>
          <spotPriceHistorySet>{string.Concat(prices.Select(p => $"""
            <item>
              <instanceType>{p.Type}</instanceType>
              <productDescription>Linux/UNIX</productDescription>
              <spotPrice>{p.Price}</spotPrice>
              <timestamp>{p.Timestamp}</timestamp>
              <availabilityZone>{p.Zone}</availabilityZone>
            </item>
            """))}
          </spotPriceHistorySet>
          <nextToken>{nextToken}</nextToken>
        </DescribeSpotPriceHistoryResponse>
        """);

    /// <summary>
    /// CreateFleet of type instant, as the EC2 API reference shapes it: the instances launched per override
    /// (<c>fleetInstanceSet</c>) and the overrides that failed with their reason (<c>errorSet</c>).
    /// </summary>
    public static FakeResponse CreateFleet(
        (string Type, string Zone, string Lifecycle, string[] InstanceIds)[] launched,
        params (string Type, string Zone, string Code, string Message)[] errors) => new(200, $"""
        <?xml version="1.0" encoding="UTF-8"?>
        <CreateFleetResponse xmlns="{Ec2Ns}">
          <requestId>59dbff89-35bd-4eac-99ed-be587EXAMPLE</requestId>
          <fleetId>fleet-12a34b55-67cd-8ef9-ba9b-9208dEXAMPLE</fleetId>
          <errorSet>{string.Concat(errors.Select(e => $"""
            <item>
              <launchTemplateAndOverrides>
                <launchTemplateSpecification><launchTemplateId>lt-0e8c754449b27161c</launchTemplateId><version>3</version></launchTemplateSpecification>
                <overrides><instanceType>{e.Type}</instanceType><subnetId>subnet-{e.Zone}</subnetId><availabilityZone>{e.Zone}</availabilityZone></overrides>
              </launchTemplateAndOverrides>
              <lifecycle>spot</lifecycle>
              <errorCode>{e.Code}</errorCode>
              <errorMessage>{e.Message}</errorMessage>
            </item>
            """))}
          </errorSet>
          <fleetInstanceSet>{string.Concat(launched.Select(l => $"""
            <item>
              <launchTemplateAndOverrides>
                <launchTemplateSpecification><launchTemplateId>lt-0e8c754449b27161c</launchTemplateId><version>3</version></launchTemplateSpecification>
                <overrides><instanceType>{l.Type}</instanceType><subnetId>subnet-{l.Zone}</subnetId><availabilityZone>{l.Zone}</availabilityZone></overrides>
              </launchTemplateAndOverrides>
              <lifecycle>{l.Lifecycle}</lifecycle>
              <instanceIds>{string.Concat(l.InstanceIds.Select(id => $"<item>{id}</item>"))}</instanceIds>
              <instanceType>{l.Type}</instanceType>
              <platform/>
            </item>
            """))}
          </fleetInstanceSet>
        </CreateFleetResponse>
        """);

    public static FakeResponse TerminateInstances(params (string Id, string Previous, string Current)[] changes) => new(200, $"""
        <?xml version="1.0" encoding="UTF-8"?>
        <TerminateInstancesResponse xmlns="{Ec2Ns}">
          <requestId>59dbff89-35bd-4eac-99ed-be587EXAMPLE</requestId>
          <instancesSet>{string.Concat(changes.Select(c => $"""
            <item>
              <instanceId>{c.Id}</instanceId>
              <currentState><code>32</code><name>{c.Current}</name></currentState>
              <previousState><code>16</code><name>{c.Previous}</name></previousState>
            </item>
            """))}
          </instancesSet>
        </TerminateInstancesResponse>
        """);

    /// <summary>DescribeSpotInstanceRequests; a null instance id is a request that never launched.</summary>
    public static FakeResponse SpotInstanceRequests(string? nextToken, params (string? InstanceId, string Type, string Zone, string Code, string UpdateTime)[] requests) => new(200, $"""
        <?xml version="1.0" encoding="UTF-8"?>
        <DescribeSpotInstanceRequestsResponse xmlns="{Ec2Ns}">
          <requestId>59dbff89-35bd-4eac-99ed-be587EXAMPLE</requestId>
          <spotInstanceRequestSet>{string.Concat(requests.Select((r, i) => $"""
            <item>
              <spotInstanceRequestId>sir-0000000{i}</spotInstanceRequestId>
              <spotPrice>0.096000</spotPrice>
              <type>one-time</type>
              <state>{(r.Code.StartsWith("marked-for-", StringComparison.Ordinal) ? "active" : "closed")}</state>
              <status><code>{r.Code}</code><updateTime>{r.UpdateTime}</updateTime><message>Spot Instance terminated due to no available capacity.</message></status>
              <launchSpecification>
                <imageId>ami-0abcdef1234567890</imageId>
                <instanceType>{r.Type}</instanceType>
                <placement><availabilityZone>{r.Zone}</availabilityZone><tenancy>default</tenancy></placement>
                <groupSet><item><groupId>sg-0123456789abcdef0</groupId><groupName>eks-cluster-sg</groupName></item></groupSet>
                <monitoring><enabled>false</enabled></monitoring>
              </launchSpecification>
              {(r.InstanceId is null ? "" : $"<instanceId>{r.InstanceId}</instanceId><launchedAvailabilityZone>{r.Zone}</launchedAvailabilityZone>")}
              <createTime>2026-03-02T08:00:00.000Z</createTime>
              <productDescription>Linux/UNIX</productDescription>
              <instanceInterruptionBehavior>terminate</instanceInterruptionBehavior>
            </item>
            """))}
          </spotInstanceRequestSet>
          {(nextToken is null ? "" : $"<nextToken>{nextToken}</nextToken>")}
        </DescribeSpotInstanceRequestsResponse>
        """);

    public static FakeResponse AutoScalingGroups(string? nextToken, params string[] groups) => new(200, $"""
        <DescribeAutoScalingGroupsResponse xmlns="{AutoScalingNs}">
          <DescribeAutoScalingGroupsResult>
            <AutoScalingGroups>{string.Concat(groups)}</AutoScalingGroups>
            {(nextToken is null ? "" : $"<NextToken>{nextToken}</NextToken>")}
          </DescribeAutoScalingGroupsResult>
          <ResponseMetadata><RequestId>0f02a07d-b677-11e2-9eb0-dd50EXAMPLE</RequestId></ResponseMetadata>
        </DescribeAutoScalingGroupsResponse>
        """);

    public static string AutoScalingGroup(string name, int min, int max, int desired, string[] instanceIds, string[] zones, params (string Key, string Value)[] tags) => $"""
        <member>
          <AutoScalingGroupName>{name}</AutoScalingGroupName>
          <AutoScalingGroupARN>arn:aws:autoscaling:us-east-1:111122223333:autoScalingGroup:930d940e-891e-4781-a11a-7b0acd480f03:autoScalingGroupName/{name}</AutoScalingGroupARN>
          <MixedInstancesPolicy><LaunchTemplate><Overrides><member><InstanceType>m5.large</InstanceType></member></Overrides></LaunchTemplate></MixedInstancesPolicy>
          <MinSize>{min}</MinSize>
          <MaxSize>{max}</MaxSize>
          <DesiredCapacity>{desired}</DesiredCapacity>
          <DefaultCooldown>300</DefaultCooldown>
          <AvailabilityZones>{string.Concat(zones.Select(z => $"<member>{z}</member>"))}</AvailabilityZones>
          <LoadBalancerNames/>
          <HealthCheckType>EC2</HealthCheckType>
          <HealthCheckGracePeriod>15</HealthCheckGracePeriod>
          <Instances>{string.Concat(instanceIds.Select(id => $"""
            <member>
              <InstanceId>{id}</InstanceId>
              <InstanceType>m5.large</InstanceType>
              <AvailabilityZone>{zones[0]}</AvailabilityZone>
              <LifecycleState>InService</LifecycleState>
              <HealthStatus>Healthy</HealthStatus>
              <ProtectedFromScaleIn>false</ProtectedFromScaleIn>
            </member>
            """))}
          </Instances>
          <CreatedTime>2026-01-11T19:00:00.000Z</CreatedTime>
          <VPCZoneIdentifier>subnet-0123456789abcdef0</VPCZoneIdentifier>
          <Tags>{string.Concat(tags.Select(t => $"""
            <member>
              <ResourceId>{name}</ResourceId>
              <PropagateAtLaunch>true</PropagateAtLaunch>
              <Value>{t.Value}</Value>
              <Key>{t.Key}</Key>
              <ResourceType>auto-scaling-group</ResourceType>
            </member>
            """))}
          </Tags>
          <TerminationPolicies><member>AllocationStrategy</member></TerminationPolicies>
        </member>
        """;

    /// <summary>
    /// The group of <see cref="AutoScalingGroup"/> with <paramref name="template"/> (a <c>LaunchTemplate</c> or
    /// <c>MixedInstancesPolicy</c> element, or nothing: a group on a launch configuration) in place of its overrides-only policy.
    /// </summary>
    public static string WithTemplate(string group, string template) =>
        group.Replace("<MixedInstancesPolicy><LaunchTemplate><Overrides><member><InstanceType>m5.large</InstanceType></member></Overrides></LaunchTemplate></MixedInstancesPolicy>",
            template, StringComparison.Ordinal);

    public static FakeResponse AutoScalingError(int status, string code, string message) => AwsResponses.QueryError(status, code, message, AutoScalingNs);

    public static FakeResponse DetachVolume(string volumeId, string instanceId, string device, string status) => new(200, $"""
        <DetachVolumeResponse xmlns="{Ec2Ns}">
          <requestId>59dbff89-35bd-4eac-99ed-be587EXAMPLE</requestId>
          <volumeId>{volumeId}</volumeId>
          <instanceId>{instanceId}</instanceId>
          <device>{device}</device>
          <status>{status}</status>
          <attachTime>2026-02-27T08:16:00.000Z</attachTime>
        </DetachVolumeResponse>
        """);

    /// <summary>DescribeVolumes for one volume; a null instance id is an available (unattached) volume.</summary>
    public static FakeResponse DescribeVolume(string volumeId, string? instanceId, string device = "/dev/sdf", string status = "attached") => new(200, $"""
        <DescribeVolumesResponse xmlns="{Ec2Ns}">
          <requestId>59dbff89-35bd-4eac-99ed-be587EXAMPLE</requestId>
          <volumeSet>
            <item>
              <volumeId>{volumeId}</volumeId>
              <size>80</size>
              <snapshotId/>
              <availabilityZone>us-east-1a</availabilityZone>
              <status>{(instanceId is null ? "available" : "in-use")}</status>
              <createTime>2026-02-27T08:15:00.000Z</createTime>
              <attachmentSet>{(instanceId is null ? "" : $"""
                <item>
                  <volumeId>{volumeId}</volumeId>
                  <instanceId>{instanceId}</instanceId>
                  <device>{device}</device>
                  <status>{status}</status>
                  <attachTime>2026-02-27T08:16:00.000Z</attachTime>
                  <deleteOnTermination>false</deleteOnTermination>
                </item>
                """)}
              </attachmentSet>
              <volumeType>gp3</volumeType>
              <encrypted>true</encrypted>
            </item>
          </volumeSet>
        </DescribeVolumesResponse>
        """);
}
