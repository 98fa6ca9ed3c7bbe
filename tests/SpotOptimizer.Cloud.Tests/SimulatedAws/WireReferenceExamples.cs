using SpotOptimizer.Cloud.Tests.Aws;

namespace SpotOptimizer.Cloud.Tests.SimulatedAws;

/// <summary>
/// Sample responses of AWS's API references (EC2 2016-11-15, STS 2011-06-15) beyond those of
/// <see cref="Ec2ReferenceExamples"/>, as the references print them (each checked against its page, cited above it):
/// what the simulator's wire answers are held to.
/// </summary>
public static class WireReferenceExamples
{
    // https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_TerminateInstances.html (Examples, Sample Response)
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

    // https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_DescribeSpotPriceHistory.html (Examples, Sample Response):
    // two prices of the day the request names, a Linux and a Windows one, each with its zone, and an empty nextToken.
    /// <summary>EC2 DescribeSpotPriceHistory, "This example gets Spot price history for a particular day in December 2009 for the specified Availability Zone."</summary>
    public static FakeResponse DescribeSpotPriceHistory() => new(200, """
        <DescribeSpotPriceHistoryResponse xmlns="http://ec2.amazonaws.com/doc/2016-11-15/">
          <requestId>59dbff89-35bd-4eac-99ed-be587EXAMPLE</requestId>
          <spotPriceHistorySet>
            <item>
              <instanceType>m3.medium</instanceType>
              <productDescription>Linux/UNIX</productDescription>
              <spotPrice>0.287</spotPrice>
              <timestamp>2009-12-04T20:56:05.000Z</timestamp>
              <availabilityZone>us-east-1a</availabilityZone>
            </item>
            <item>
              <instanceType>m3.medium</instanceType>
              <productDescription>Windows</productDescription>
              <spotPrice>0.033</spotPrice>
              <timestamp>2009-12-04T22:33:47.000Z</timestamp>
              <availabilityZone>us-east-1a</availabilityZone>
            </item>
          </spotPriceHistorySet>
          <nextToken/>
        </DescribeSpotPriceHistoryResponse>
        """);

    // https://docs.aws.amazon.com/STS/latest/APIReference/API_AssumeRole.html (Examples, Sample Response): the session
    // token is printed over five lines, as here.
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
              <SessionToken>
               AQoDYXdzEPT//////////wEXAMPLEtc764bNrC9SAPBSM22wDOk4x4HIZ8j4FZTwdQW
               LWsKWHGBuFqwAeMicRXmxfpSPfIeoIYRqTflfKD8YUuwthAx7mSEI/qkPpKPi/kMcGd
               QrmGdeehM4IC1NtBmUpp2wUE8phUZampKsburEDy0KPkyQDYwT7WZ0wq5VSXDvp75YU
               9HFvlRd8Tx6q6fE8YQcHNVXAkiY9q6d+xo0rKwT38xVqr7ZD0u0iPPkUL64lIZbqBAz
               +scqKmlzm8FDrypNC9Yjc8fPOLn9FX9KSYvKTr4rvx3iSIlTJabIQwj2ICCR/oLxBA==
              </SessionToken>
              <Expiration>2019-11-09T13:34:41Z</Expiration>
            </Credentials>
            <PackedPolicySize>6</PackedPolicySize>
          </AssumeRoleResult>
          <ResponseMetadata>
            <RequestId>c6104cbe-af31-11e0-8154-cbc7ccf896c7</RequestId>
          </ResponseMetadata>
        </AssumeRoleResponse>
        """);

    // https://docs.aws.amazon.com/STS/latest/APIReference/API_GetCallerIdentity.html (Example 1 - Called by an IAM user,
    // Sample Response): the user's access key ID stands as its UserId, as the reference prints it.
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

    // https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_GetSpotPlacementScores.html prints no sample response:
    // this is its "Response Elements" (requestId, spotPlacementScoreSet of SpotPlacementScore items, nextToken) with the
    // members of https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_SpotPlacementScore.html (availabilityZoneId,
    // region, score), in the EC2 Query shape of the other examples (a set's members are <item>s). Values are made up.
    /// <summary>EC2 GetSpotPlacementScores, scored per zone (SingleAvailabilityZone=true).</summary>
    public static FakeResponse GetSpotPlacementScores() => new(200, """
        <GetSpotPlacementScoresResponse xmlns="http://ec2.amazonaws.com/doc/2016-11-15/">
          <requestId>d1e0ad3b-6b1c-4c6e-9f33-2d2f1EXAMPLE</requestId>
          <spotPlacementScoreSet>
            <item>
              <region>us-east-1</region>
              <availabilityZoneId>use1-az1</availabilityZoneId>
              <score>9</score>
            </item>
            <item>
              <region>us-east-1</region>
              <availabilityZoneId>use1-az4</availabilityZoneId>
              <score>3</score>
            </item>
          </spotPlacementScoreSet>
          <nextToken>EXAMPLE-TOKEN</nextToken>
        </GetSpotPlacementScoresResponse>
        """);
}
