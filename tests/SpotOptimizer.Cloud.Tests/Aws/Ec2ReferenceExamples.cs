namespace SpotOptimizer.Cloud.Tests.Aws;

/// <summary>
/// The sample responses of the Amazon EC2 API Reference (API version 2016-11-15) for the calls the Lab's live switch
/// makes, as the reference prints them, so the provider is held to AWS's own examples rather than to shapes we wrote
/// ourselves. Only the reference's placeholder timestamps (<c>YYYY-MM-DDTHH:MM:SS.SSSZ</c>) are real times here:
/// AWSSDK.EC2 reads times strictly, as AWS's real answers carry them.
/// </summary>
public static class Ec2ReferenceExamples
{
    public const string Instance = "i-1234567890abcdef0";
    public const string Volume = "vol-1234567890abcdef0";

    /// <summary>StopInstances, "This example stops the specified instance."</summary>
    public static FakeResponse StopInstances() => new(200, """
        <StopInstancesResponse xmlns="http://ec2.amazonaws.com/doc/2016-11-15/">
          <requestId>59dbff89-35bd-4eac-99ed-be587EXAMPLE</requestId>
          <instancesSet>
            <item>
              <instanceId>i-1234567890abcdef0</instanceId>
              <currentState>
                  <code>64</code>
                  <name>stopping</name>
              </currentState>
              <previousState>
                  <code>16</code>
                  <name>running</name>
              </previousState>
            </item>
          </instancesSet>
        </StopInstancesResponse>
        """);

    /// <summary>StartInstances, "This example starts the specified instance."</summary>
    public static FakeResponse StartInstances() => new(200, """
        <StartInstancesResponse xmlns="http://ec2.amazonaws.com/doc/2016-11-15/">
          <requestId>59dbff89-35bd-4eac-99ed-be587EXAMPLE</requestId>
          <instancesSet>
            <item>
              <instanceId>i-1234567890abcdef0</instanceId>
              <currentState>
                  <code>0</code>
                  <name>pending</name>
              </currentState>
              <previousState>
                  <code>80</code>
                  <name>stopped</name>
              </previousState>
            </item>
          </instancesSet>
        </StartInstancesResponse>
        """);

    /// <summary>AttachVolume, "attaches the volume … to the instance … and exposes it as /dev/sdh".</summary>
    public static FakeResponse AttachVolume() => new(200, """
        <AttachVolumeResponse xmlns="http://ec2.amazonaws.com/doc/2016-11-15/">
          <requestId>59dbff89-35bd-4eac-99ed-be587EXAMPLE</requestId>
          <volumeId>vol-1234567890abcdef0</volumeId>
          <instanceId>i-1234567890abcdef0</instanceId>
          <device>/dev/sdh</device>
          <status>attaching</status>
          <attachTime>2026-03-02T09:30:05.000Z</attachTime>
        </AttachVolumeResponse>
        """);

    /// <summary>DescribeVolumes, "This example describes all volumes associated with your account."</summary>
    public static FakeResponse DescribeVolumes() => new(200, """
        <DescribeVolumesResponse xmlns="http://ec2.amazonaws.com/doc/2016-11-15/">
           <requestId>59dbff89-35bd-4eac-99ed-be587EXAMPLE</requestId>
           <volumeSet>
              <item>
                 <volumeId>vol-1234567890abcdef0</volumeId>
                 <size>80</size>
                 <snapshotId/>
                 <availabilityZone>us-east-1a</availabilityZone>
                 <status>in-use</status>
                 <createTime>2026-03-02T09:30:05.000Z</createTime>
                 <attachmentSet>
                    <item>
                       <volumeId>vol-1234567890abcdef0</volumeId>
                       <instanceId>i-1234567890abcdef0</instanceId>
                       <device>/dev/sdh</device>
                       <status>attached</status>
                       <attachTime>2026-03-02T09:30:05.000Z</attachTime>
                       <deleteOnTermination>false</deleteOnTermination>
                    </item>
                 </attachmentSet>
                 <volumeType>standard</volumeType>
                 <encrypted>true</encrypted>
                 <multiAttachEnabled>false</multiAttachEnabled>
              </item>
           </volumeSet>
        </DescribeVolumesResponse>
        """);
}
