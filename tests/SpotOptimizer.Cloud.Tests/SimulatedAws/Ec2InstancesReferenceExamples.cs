using SpotOptimizer.Cloud.Tests.Aws;

namespace SpotOptimizer.Cloud.Tests.SimulatedAws;

/// <summary>
/// EC2 reference answers for the instance calls (DescribeInstances, CreateFleet, DescribeSpotInstanceRequests): what the simulator's wire answers are held to.
/// <para>
/// Where the sample responses are from: the API reference pages of these operations print their examples below the
/// part of each page the search index keeps, so they could not be read here. Each reference is instead the example AWS
/// publishes for the same operation in the AWS CLI Command Reference (the page cited above it, its output as printed),
/// written in the EC2 Query wire form: every element named as the EC2 service model (botocore
/// <c>data/ec2/2016-11-15/service-2.json</c>, what the API reference's Response Elements are generated from) names it
/// (<c>locationName</c>), lists as <c>item</c>s. Elements an example lacks but the simulator serves are added where
/// the model defines them, each under a comment naming the model's member; values are the example's.
/// </para>
/// </summary>
public static class Ec2InstancesReferenceExamples
{
    // https://docs.aws.amazon.com/cli/latest/reference/ec2/describe-instances.html (Example 1: To describe an instance),
    // in the wire form of https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_DescribeInstances.html.
    /// <summary>EC2 DescribeInstances, "describes the specified instance".</summary>
    public static FakeResponse DescribeInstances() => new(200, """
        <DescribeInstancesResponse xmlns="http://ec2.amazonaws.com/doc/2016-11-15/">
          <requestId>EXAMPLE</requestId>
          <reservationSet>
            <item>
              <groupSet/>
              <instancesSet>
                <item>
                  <amiLaunchIndex>0</amiLaunchIndex>
                  <imageId>ami-0abcdef1234567890</imageId>
                  <instanceId>i-1234567890abcdef0</instanceId>
                  <instanceType>t3.nano</instanceType>
                  <keyName>my-key-pair</keyName>
                  <launchTime>2022-11-15T10:48:59+00:00</launchTime>
                  <monitoring>
                    <state>disabled</state>
                  </monitoring>
                  <placement>
                    <availabilityZone>us-east-2a</availabilityZone>
                    <groupName></groupName>
                    <tenancy>default</tenancy>
                  </placement>
                  <privateDnsName>ip-10-0-0-157.us-east-2.compute.internal</privateDnsName>
                  <privateIpAddress>10-0-0-157</privateIpAddress>
                  <productCodes/>
                  <dnsName>ec2-34-253-223-13.us-east-2.compute.amazonaws.com</dnsName>
                  <ipAddress>34.253.223.13</ipAddress>
                  <instanceState>
                    <code>16</code>
                    <name>running</name>
                  </instanceState>
                  <reason></reason>
                  <subnetId>subnet-04a636d18e83cfacb</subnetId>
                  <vpcId>vpc-1234567890abcdef0</vpcId>
                  <architecture>x86_64</architecture>
                  <blockDeviceMapping>
                    <item>
                      <deviceName>/dev/xvda</deviceName>
                      <ebs>
                        <attachTime>2022-11-15T10:49:00+00:00</attachTime>
                        <deleteOnTermination>true</deleteOnTermination>
                        <status>attached</status>
                        <volumeId>vol-02e6ccdca7de29cf2</volumeId>
                      </ebs>
                    </item>
                  </blockDeviceMapping>
                  <clientToken>1234abcd-1234-abcd-1234-d46a8903e9bc</clientToken>
                  <ebsOptimized>true</ebsOptimized>
                  <enaSupport>true</enaSupport>
                  <hypervisor>xen</hypervisor>
                  <!-- Not in the example (its instance is On-Demand): the model's Instance.InstanceLifecycle. -->
                  <instanceLifecycle>spot</instanceLifecycle>
                  <iamInstanceProfile>
                    <arn>arn:aws:iam::111111111111:instance-profile/AmazonSSMRoleForInstancesQuickSetup</arn>
                    <id>111111111111111111111</id>
                  </iamInstanceProfile>
                  <networkInterfaceSet>
                    <item>
                      <association>
                        <ipOwnerId>amazon</ipOwnerId>
                        <publicDnsName>ec2-34-253-223-13.us-east-2.compute.amazonaws.com</publicDnsName>
                        <publicIp>34.253.223.13</publicIp>
                      </association>
                      <attachment>
                        <attachTime>2022-11-15T10:48:59+00:00</attachTime>
                        <attachmentId>eni-attach-1234567890abcdefg</attachmentId>
                        <deleteOnTermination>true</deleteOnTermination>
                        <deviceIndex>0</deviceIndex>
                        <status>attached</status>
                        <networkCardIndex>0</networkCardIndex>
                      </attachment>
                      <description></description>
                      <groupSet>
                        <item>
                          <groupName>launch-wizard-146</groupName>
                          <groupId>sg-1234567890abcdefg</groupId>
                        </item>
                      </groupSet>
                      <ipv6AddressesSet/>
                      <macAddress>00:11:22:33:44:55</macAddress>
                      <networkInterfaceId>eni-1234567890abcdefg</networkInterfaceId>
                      <ownerId>104024344472</ownerId>
                      <privateDnsName>ip-10-0-0-157.us-east-2.compute.internal</privateDnsName>
                      <privateIpAddress>10-0-0-157</privateIpAddress>
                      <privateIpAddressesSet>
                        <item>
                          <association>
                            <ipOwnerId>amazon</ipOwnerId>
                            <publicDnsName>ec2-34-253-223-13.us-east-2.compute.amazonaws.com</publicDnsName>
                            <publicIp>34.253.223.13</publicIp>
                          </association>
                          <primary>true</primary>
                          <privateDnsName>ip-10-0-0-157.us-east-2.compute.internal</privateDnsName>
                          <privateIpAddress>10-0-0-157</privateIpAddress>
                        </item>
                      </privateIpAddressesSet>
                      <sourceDestCheck>true</sourceDestCheck>
                      <status>in-use</status>
                      <subnetId>subnet-1234567890abcdefg</subnetId>
                      <vpcId>vpc-1234567890abcdefg</vpcId>
                      <interfaceType>interface</interfaceType>
                    </item>
                  </networkInterfaceSet>
                  <rootDeviceName>/dev/xvda</rootDeviceName>
                  <rootDeviceType>ebs</rootDeviceType>
                  <groupSet>
                    <item>
                      <groupName>launch-wizard-146</groupName>
                      <groupId>sg-1234567890abcdefg</groupId>
                    </item>
                  </groupSet>
                  <sourceDestCheck>true</sourceDestCheck>
                  <tagSet>
                    <item>
                      <key>Name</key>
                      <value>my-instance</value>
                    </item>
                  </tagSet>
                  <virtualizationType>hvm</virtualizationType>
                  <cpuOptions>
                    <coreCount>1</coreCount>
                    <threadsPerCore>2</threadsPerCore>
                  </cpuOptions>
                  <capacityReservationSpecification>
                    <capacityReservationPreference>open</capacityReservationPreference>
                  </capacityReservationSpecification>
                  <hibernationOptions>
                    <configured>false</configured>
                  </hibernationOptions>
                  <metadataOptions>
                    <state>applied</state>
                    <httpTokens>optional</httpTokens>
                    <httpPutResponseHopLimit>1</httpPutResponseHopLimit>
                    <httpEndpoint>enabled</httpEndpoint>
                    <httpProtocolIpv6>disabled</httpProtocolIpv6>
                    <instanceMetadataTags>enabled</instanceMetadataTags>
                  </metadataOptions>
                  <enclaveOptions>
                    <enabled>false</enabled>
                  </enclaveOptions>
                  <platformDetails>Linux/UNIX</platformDetails>
                  <usageOperation>RunInstances</usageOperation>
                  <usageOperationUpdateTime>2022-11-15T10:48:59+00:00</usageOperationUpdateTime>
                  <privateDnsNameOptions>
                    <hostnameType>ip-name</hostnameType>
                    <enableResourceNameDnsARecord>true</enableResourceNameDnsARecord>
                    <enableResourceNameDnsAAAARecord>false</enableResourceNameDnsAAAARecord>
                  </privateDnsNameOptions>
                  <maintenanceOptions>
                    <autoRecovery>default</autoRecovery>
                  </maintenanceOptions>
                </item>
              </instancesSet>
              <ownerId>111111111111</ownerId>
              <reservationId>r-1234567890abcdefg</reservationId>
            </item>
          </reservationSet>
        </DescribeInstancesResponse>
        """);

    // https://docs.aws.amazon.com/cli/latest/reference/ec2/describe-spot-instance-requests.html (Example 1: To describe a
    // Spot Instance request; the page's output misses the comma after "SpotPrice", restored), in the wire form of
    // https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_DescribeSpotInstanceRequests.html.
    /// <summary>EC2 DescribeSpotInstanceRequests, "describes the specified Spot Instance request".</summary>
    public static FakeResponse DescribeSpotInstanceRequests() => new(200, """
        <DescribeSpotInstanceRequestsResponse xmlns="http://ec2.amazonaws.com/doc/2016-11-15/">
          <requestId>EXAMPLE</requestId>
          <spotInstanceRequestSet>
            <item>
              <createTime>2018-04-30T18:14:55.000Z</createTime>
              <instanceId>i-1234567890abcdef1</instanceId>
              <launchSpecification>
                <instanceType>t2.micro</instanceType>
                <imageId>ami-003634241a8fcdec0</imageId>
                <keyName>my-key-pair</keyName>
                <groupSet>
                  <item>
                    <groupName>default</groupName>
                    <groupId>sg-e38f24a7</groupId>
                  </item>
                </groupSet>
                <blockDeviceMapping>
                  <item>
                    <deviceName>/dev/sda1</deviceName>
                    <ebs>
                      <deleteOnTermination>true</deleteOnTermination>
                      <snapshotId>snap-0e54a519c999adbbd</snapshotId>
                      <volumeSize>8</volumeSize>
                      <volumeType>standard</volumeType>
                      <encrypted>false</encrypted>
                    </ebs>
                  </item>
                </blockDeviceMapping>
                <networkInterfaceSet>
                  <item>
                    <deleteOnTermination>true</deleteOnTermination>
                    <deviceIndex>0</deviceIndex>
                    <subnetId>subnet-049df61146c4d7901</subnetId>
                  </item>
                </networkInterfaceSet>
                <placement>
                  <availabilityZone>us-east-2b</availabilityZone>
                  <tenancy>default</tenancy>
                </placement>
                <monitoring>
                  <enabled>false</enabled>
                </monitoring>
              </launchSpecification>
              <launchedAvailabilityZone>us-east-2b</launchedAvailabilityZone>
              <productDescription>Linux/UNIX</productDescription>
              <spotInstanceRequestId>sir-08b93456</spotInstanceRequestId>
              <spotPrice>0.010000</spotPrice>
              <state>active</state>
              <status>
                <code>fulfilled</code>
                <message>Your Spot request is fulfilled.</message>
                <updateTime>2018-04-30T18:16:21.000Z</updateTime>
              </status>
              <tagSet/>
              <type>one-time</type>
              <instanceInterruptionBehavior>terminate</instanceInterruptionBehavior>
            </item>
          </spotInstanceRequestSet>
        </DescribeSpotInstanceRequestsResponse>
        """);

    // https://docs.aws.amazon.com/cli/latest/reference/ec2/create-fleet.html prints only request and maintain fleets
    // (their output is the fleet ID alone), and no example of an instant fleet's answer was found. This is the Response
    // Elements of https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_CreateFleet.html as the model defines them
    // (fleetId; errorSet of CreateFleetError; fleetInstanceSet of CreateFleetInstance, with the zone the model gives
    // instant fleets), with the fleet ID, launch template ID and overrides of the CLI page's Example 4; the template's
    // name, the error, the zones, the priority and the instance IDs are made up.
    /// <summary>EC2 CreateFleet of type instant: one pool that could not launch, one that did.</summary>
    public static FakeResponse CreateFleet() => new(200, """
        <CreateFleetResponse xmlns="http://ec2.amazonaws.com/doc/2016-11-15/">
          <requestId>EXAMPLE</requestId>
          <fleetId>fleet-12a34b55-67cd-8ef9-ba9b-9208dEXAMPLE</fleetId>
          <errorSet>
            <item>
              <launchTemplateAndOverrides>
                <launchTemplateSpecification>
                  <launchTemplateId>lt-0e8c754449b27161c</launchTemplateId>
                  <launchTemplateName>my-launch-template</launchTemplateName>
                  <version>1</version>
                </launchTemplateSpecification>
                <overrides>
                  <instanceType>c4.large</instanceType>
                  <subnetId>subnet-a4f6c5d3</subnetId>
                  <weightedCapacity>1.0</weightedCapacity>
                  <availabilityZone>us-east-1a</availabilityZone>
                  <priority>1.0</priority>
                </overrides>
              </launchTemplateAndOverrides>
              <lifecycle>spot</lifecycle>
              <errorCode>InsufficientInstanceCapacity</errorCode>
              <errorMessage>There is no Spot capacity available that matches your request.</errorMessage>
            </item>
          </errorSet>
          <fleetInstanceSet>
            <item>
              <launchTemplateAndOverrides>
                <launchTemplateSpecification>
                  <launchTemplateId>lt-0e8c754449b27161c</launchTemplateId>
                  <launchTemplateName>my-launch-template</launchTemplateName>
                  <version>1</version>
                </launchTemplateSpecification>
                <overrides>
                  <instanceType>c5.large</instanceType>
                  <subnetId>subnet-a4f6c5d3</subnetId>
                  <weightedCapacity>1.0</weightedCapacity>
                  <availabilityZone>us-east-1a</availabilityZone>
                  <priority>2.0</priority>
                </overrides>
              </launchTemplateAndOverrides>
              <lifecycle>spot</lifecycle>
              <instanceIds>
                <item>i-1234567890abcdef0</item>
                <item>i-1234567890abcdef1</item>
              </instanceIds>
              <instanceType>c5.large</instanceType>
              <availabilityZone>us-east-1a</availabilityZone>
              <availabilityZoneId>use1-az6</availabilityZoneId>
            </item>
          </fleetInstanceSet>
        </CreateFleetResponse>
        """);
}
