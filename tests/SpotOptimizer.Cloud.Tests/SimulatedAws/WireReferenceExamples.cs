using SpotOptimizer.Cloud.Tests.Aws;

namespace SpotOptimizer.Cloud.Tests.SimulatedAws;

/// <summary>
/// Sample responses of AWS's API references (EC2 2016-11-15, STS 2011-06-15) beyond those of
/// <see cref="Ec2ReferenceExamples"/>, as the references print them: what the simulator's wire answers are held to.
/// </summary>
public static class WireReferenceExamples
{
    /// <summary>EC2 TerminateInstances, "This example terminates the specified instance."</summary>
    public static FakeResponse TerminateInstances() => new(200, """
        <TerminateInstancesResponse xmlns="http://ec2.amazonaws.com/doc/2016-11-15/">
          <requestId>59dbff89-35bd-4eac-99ed-be587EXAMPLE</requestId>
          <instancesSet>
            <item>
              <instanceId>i-1234567890abcdef0</instanceId>
              <currentState>
                <code>32</code>
                <name>shutting-down</name>
              </currentState>
              <previousState>
                <code>16</code>
                <name>running</name>
              </previousState>
            </item>
          </instancesSet>
        </TerminateInstancesResponse>
        """);

    /// <summary>EC2 DescribeSpotPriceHistory, "This example gets Spot price history for a particular day in December 2009 for the specified Availability Zone."</summary>
    public static FakeResponse DescribeSpotPriceHistory() => new(200, """
        <DescribeSpotPriceHistoryResponse xmlns="http://ec2.amazonaws.com/doc/2016-11-15/">
          <requestId>59dbff89-35bd-4eac-99ed-be587EXAMPLE</requestId>
          <spotPriceHistorySet>
            <item>
              <instanceType>m3.medium</instanceType>
              <productDescription>Linux/UNIX</productDescription>
              <spotPrice>0.287</spotPrice>
              <timestamp>2014-01-05T01:02:03.000Z</timestamp>
              <availabilityZone>us-east-1a</availabilityZone>
            </item>
          </spotPriceHistorySet>
          <nextToken/>
        </DescribeSpotPriceHistoryResponse>
        """);

    /// <summary>STS AssumeRole's sample response.</summary>
    public static FakeResponse AssumeRole() => new(200, """
        <AssumeRoleResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/">
        <AssumeRoleResult>
          <SourceIdentity>Alice</SourceIdentity>
            <AssumedRoleUser>
              <Arn>arn:aws:sts::123456789012:assumed-role/demo/TestAR</Arn>
              <AssumedRoleId>ARO123EXAMPLE123:TestAR</AssumedRoleId>
            </AssumedRoleUser>
            <Credentials>
              <AccessKeyId>ASIAIOSFODNN7EXAMPLE</AccessKeyId>
              <SecretAccessKey>wJalrXUtnFEMI/K7MDENG/bPxRfiCYzEXAMPLEKEY</SecretAccessKey>
              <SessionToken>AQoDYXdzEPT//////////wEXAMPLEtc764bNrC9SAPBSM22wDOk4x4HIZ8j4FZTwdQWLWsKWHGBuFqwAeMicRXmxfpSPfIeoIYRqTflfKD8YUuwthAx7mSEI</SessionToken>
              <Expiration>2019-11-09T13:34:41Z</Expiration>
            </Credentials>
            <PackedPolicySize>6</PackedPolicySize>
          </AssumeRoleResult>
          <ResponseMetadata>
            <RequestId>c6104cbe-af31-11e0-8154-cbc7ccf896c7</RequestId>
          </ResponseMetadata>
        </AssumeRoleResponse>
        """);

    /// <summary>STS GetCallerIdentity, called with an IAM user's credentials.</summary>
    public static FakeResponse GetCallerIdentity() => new(200, """
        <GetCallerIdentityResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/">
          <GetCallerIdentityResult>
           <Arn>arn:aws:iam::123456789012:user/Alice</Arn>
            <UserId>AKIAI44QH8DHBEXAMPLE</UserId>
            <Account>123456789012</Account>
          </GetCallerIdentityResult>
          <ResponseMetadata>
            <RequestId>01234567-89ab-cdef-0123-456789abcdef</RequestId>
          </ResponseMetadata>
        </GetCallerIdentityResponse>
        """);
}
