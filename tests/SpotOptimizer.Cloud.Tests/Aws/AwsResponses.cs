namespace SpotOptimizer.Cloud.Tests.Aws;

/// <summary>Answers in the shapes of the public API references (EC2 2016-11-15, EKS, STS 2011-06-15, Auto Scaling 2011-01-01).</summary>
public static class AwsResponses
{
    private const string RequestId = "59dbff89-35bd-4eac-99ed-be587EXAMPLE";

    /// <summary>EC2's error shape: <c>&lt;Response&gt;&lt;Errors&gt;&lt;Error&gt;</c>.</summary>
    public static FakeResponse Ec2Error(int status, string code, string message) => new(status,
        $"""<?xml version="1.0" encoding="UTF-8"?><Response><Errors><Error><Code>{code}</Code><Message>{message}</Message></Error></Errors><RequestID>{RequestId}</RequestID></Response>""");

    /// <summary>STS / Auto Scaling error shape: <c>&lt;ErrorResponse&gt;&lt;Error&gt;</c>.</summary>
    public static FakeResponse QueryError(int status, string code, string message, string ns = "https://sts.amazonaws.com/doc/2011-06-15/") => new(status,
        $"""<ErrorResponse xmlns="{ns}"><Error><Type>Sender</Type><Code>{code}</Code><Message>{message}</Message></Error><RequestId>{RequestId}</RequestId></ErrorResponse>""");

    public static FakeResponse Unauthorized() => Ec2Error(403, "UnauthorizedOperation", "You are not authorized to perform this operation. Encoded authorization failure message: EXAMPLE");

    public static FakeResponse DryRunOk() => Ec2Error(412, "DryRunOperation", "Request would have succeeded, but DryRun flag is set.");

    public static FakeResponse RequestLimitExceeded() => Ec2Error(503, "RequestLimitExceeded", "Request limit exceeded.");

    public static FakeResponse AssumeRole(string accessKeyId, string secret, string roleArn, string session, string expiration) => new(200, $"""
        <AssumeRoleResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/">
          <AssumeRoleResult>
            <AssumedRoleUser>
              <Arn>{roleArn.Replace(":iam::", ":sts::", StringComparison.Ordinal).Replace(":role/", ":assumed-role/", StringComparison.Ordinal)}/{session}</Arn>
              <AssumedRoleId>ARO123EXAMPLE123:{session}</AssumedRoleId>
            </AssumedRoleUser>
            <Credentials>
              <AccessKeyId>{accessKeyId}</AccessKeyId>
              <SecretAccessKey>{secret}</SecretAccessKey>
              <SessionToken>AQoDYXdzEPT//////////wEXAMPLEtc764bNrC9SAPBSM22wDOk4x4HIZ8j4FZTwdQWLWsKWHGBuFqwAeMicRXmxfpSPfIeoIYRqTflfKD8YUuwthAx7mSEI/qkPpKPi/kMcGdQrmGdeehM4IC1NtBmUpp2wUE8phUZampKsburEDy0KPkyQDYwT7WZ0wq5VSXDvp75YU9HFvlRd8Tx6q6fE8YQcHNVXAkiY9q6d+xo0rKwT38xVqr7ZD0u0iPPkUL64lIZbqBAz+scqKmlzm8FDrypNC9Yjc8fPOLn9FX9KSYvKTr4rvx3iSIlTJabIQwj2ICCR/oLxBA==</SessionToken>
              <Expiration>{expiration}</Expiration>
            </Credentials>
            <PackedPolicySize>6</PackedPolicySize>
          </AssumeRoleResult>
          <ResponseMetadata><RequestId>c6104cbe-af31-11e0-8154-cbc7ccf896c7</RequestId></ResponseMetadata>
        </AssumeRoleResponse>
        """);

    /// <summary>
    /// A DescribeInstances page. Each instance also carries a network interface with its own nested
    /// <c>item</c>s and <c>tagSet</c> — a parser that searches descendants instead of children trips over it.
    /// </summary>
    public static FakeResponse DescribeInstances(string? nextToken, params string[][] reservations) => new(200, $"""
        <?xml version="1.0" encoding="UTF-8"?>
        <DescribeInstancesResponse xmlns="http://ec2.amazonaws.com/doc/2016-11-15/">
          <requestId>8f7724cf-496f-496e-8fe3-example</requestId>
          <reservationSet>
            {string.Concat(reservations.Select(r => $"""
            <item>
              <reservationId>r-1234567890abcdef0</reservationId>
              <ownerId>111122223333</ownerId>
              <groupSet/>
              <instancesSet>{string.Concat(r)}</instancesSet>
            </item>
            """))}
          </reservationSet>
          {(nextToken is null ? "" : $"<nextToken>{nextToken}</nextToken>")}
        </DescribeInstancesResponse>
        """);

    public static string Instance(string id, string type, string zone, string state, string? lifecycle, string launchTime, string dns, params (string Key, string Value)[] tags) => $"""
        <item>
          <instanceId>{id}</instanceId>
          <imageId>ami-0abcdef1234567890</imageId>
          <instanceState><code>16</code><name>{state}</name></instanceState>
          <privateDnsName>{dns}</privateDnsName>
          <dnsName/>
          <reason/>
          <amiLaunchIndex>0</amiLaunchIndex>
          <productCodes/>
          <instanceType>{type}</instanceType>
          <launchTime>{launchTime}</launchTime>
          <placement><availabilityZone>{zone}</availabilityZone><groupName/><tenancy>default</tenancy></placement>
          <monitoring><state>disabled</state></monitoring>
          <subnetId>subnet-0123456789abcdef0</subnetId>
          <vpcId>vpc-0123456789abcdef0</vpcId>
          <privateIpAddress>10.0.1.23</privateIpAddress>
          <groupSet><item><groupId>sg-0123456789abcdef0</groupId><groupName>eks-cluster-sg</groupName></item></groupSet>
          <architecture>x86_64</architecture>
          <rootDeviceType>ebs</rootDeviceType>
          <rootDeviceName>/dev/xvda</rootDeviceName>
          <blockDeviceMapping><item><deviceName>/dev/xvda</deviceName><ebs><volumeId>vol-0123456789abcdef0</volumeId><status>attached</status></ebs></item></blockDeviceMapping>
          {(lifecycle is null ? "" : $"<instanceLifecycle>{lifecycle}</instanceLifecycle><spotInstanceRequestId>sir-abcd1234</spotInstanceRequestId>")}
          <virtualizationType>hvm</virtualizationType>
          <clientToken/>
          <tagSet>{string.Concat(tags.Select(t => $"<item><key>{t.Key}</key><value>{t.Value}</value></item>"))}</tagSet>
          <hypervisor>xen</hypervisor>
          <networkInterfaceSet>
            <item>
              <networkInterfaceId>eni-0123456789abcdef0</networkInterfaceId>
              <instanceId>i-ffffffffffffffff0</instanceId>
              <tagSet><item><key>eks:cluster-name</key><value>not-the-instance-tag</value></item></tagSet>
              <privateIpAddressesSet><item><privateIpAddress>10.0.1.23</privateIpAddress><primary>true</primary></item></privateIpAddressesSet>
            </item>
          </networkInterfaceSet>
          <ebsOptimized>false</ebsOptimized>
        </item>
        """;

    public static FakeResponse Json(int status, string body, string? errorType = null) => new(status, body, "application/json",
        errorType is null ? null : new Dictionary<string, string> { ["x-amzn-ErrorType"] = $"{errorType}:http://internal.amazon.com/coral/com.amazonaws.eks/" });

    public static FakeResponse EksCluster(string name, string region) => Json(200, $$$"""
        {"cluster":{"name":"{{{name}}}","arn":"arn:aws:eks:{{{region}}}:111122223333:cluster/{{{name}}}","createdAt":1700000000.123,"version":"1.31",
         "endpoint":"https://A0DCCD80A04F01705DD065655C30CC3D.gr7.{{{region}}}.eks.amazonaws.com","roleArn":"arn:aws:iam::111122223333:role/eks-cluster",
         "resourcesVpcConfig":{"subnetIds":["subnet-0123"],"securityGroupIds":[],"vpcId":"vpc-0123","endpointPublicAccess":true,"endpointPrivateAccess":false},
         "kubernetesNetworkConfig":{"serviceIpv4Cidr":"10.100.0.0/16","ipFamily":"ipv4"},"status":"ACTIVE",
         "certificateAuthority":{"data":"LS0tLS1CRUdJTiBDRVJUSUZJQ0FURS0tLS0t"},"platformVersion":"eks.12","tags":{} } }
        """);

    public static FakeResponse EksNodegroup(string cluster, string name, string capacityType, string[] types, int min, int max, int desired, string asg) => Json(200, $$$"""
        {"nodegroup":{"nodegroupName":"{{{name}}}","nodegroupArn":"arn:aws:eks:us-east-1:111122223333:nodegroup/{{{cluster}}}/{{{name}}}/0ec5d1f2-1234",
         "clusterName":"{{{cluster}}}","version":"1.31","releaseVersion":"1.31.0-20241011","createdAt":1700000100.5,"modifiedAt":1700000200.5,
         "status":"ACTIVE","capacityType":"{{{capacityType}}}","scalingConfig":{"minSize":{{{min}}},"maxSize":{{{max}}},"desiredSize":{{{desired}}} },
         "instanceTypes":{{{System.Text.Json.JsonSerializer.Serialize(types)}}},"subnets":["subnet-0123"],"amiType":"AL2023_x86_64_STANDARD",
         "nodeRole":"arn:aws:iam::111122223333:role/eks-node","labels":{},"resources":{"autoScalingGroups":[{"name":"{{{asg}}}"} ]},
         "diskSize":20,"health":{"issues":[]},"updateConfig":{"maxUnavailable":1},"tags":{} } }
        """);

    public static FakeResponse EksAccessDenied(string action) => Json(403,
        $$"""{"message":"User: arn:aws:sts::111122223333:assumed-role/SpotOptimizerRole/discovery is not authorized to perform: {{action}} on resource: arn:aws:eks:us-east-1:111122223333:cluster/*"}""",
        "AccessDeniedException");
}
