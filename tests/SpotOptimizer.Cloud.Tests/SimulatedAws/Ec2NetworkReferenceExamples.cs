using SpotOptimizer.Cloud.Tests.Aws;

namespace SpotOptimizer.Cloud.Tests.SimulatedAws;

/// <summary>
/// EC2 reference answers for the network calls (DescribeSubnets, DescribeAvailabilityZones): what the simulator's wire answers are held to.
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
public static class Ec2NetworkReferenceExamples
{
    // https://docs.aws.amazon.com/cli/latest/reference/ec2/describe-subnets.html (Example 2: To describe the subnets of a
    // specific VPC), in the wire form of https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_DescribeSubnets.html.
    /// <summary>EC2 DescribeSubnets, one subnet of the VPC the filter names.</summary>
    public static FakeResponse DescribeSubnets() => new(200, """
        <DescribeSubnetsResponse xmlns="http://ec2.amazonaws.com/doc/2016-11-15/">
          <requestId>EXAMPLE</requestId>
          <subnetSet>
            <item>
              <availabilityZone>us-east-1d</availabilityZone>
              <availabilityZoneId>use1-az2</availabilityZoneId>
              <availableIpAddressCount>4089</availableIpAddressCount>
              <cidrBlock>172.31.80.0/20</cidrBlock>
              <defaultForAz>true</defaultForAz>
              <mapPublicIpOnLaunch>true</mapPublicIpOnLaunch>
              <mapCustomerOwnedIpOnLaunch>false</mapCustomerOwnedIpOnLaunch>
              <state>available</state>
              <subnetId>subnet-8EXAMPLE</subnetId>
              <vpcId>vpc-3EXAMPLE</vpcId>
              <ownerId>1111222233333</ownerId>
              <assignIpv6AddressOnCreation>false</assignIpv6AddressOnCreation>
              <ipv6CidrBlockAssociationSet/>
              <tagSet>
                <item>
                  <key>Name</key>
                  <value>MySubnet</value>
                </item>
              </tagSet>
              <subnetArn>arn:aws:ec2:us-east-1:111122223333:subnet/subnet-8EXAMPLE</subnetArn>
              <enableDns64>false</enableDns64>
              <ipv6Native>false</ipv6Native>
              <privateDnsNameOptionsOnLaunch>
                <hostnameType>ip-name</hostnameType>
                <enableResourceNameDnsARecord>false</enableResourceNameDnsARecord>
                <enableResourceNameDnsAAAARecord>false</enableResourceNameDnsAAAARecord>
              </privateDnsNameOptionsOnLaunch>
            </item>
          </subnetSet>
        </DescribeSubnetsResponse>
        """);

    // https://docs.aws.amazon.com/cli/latest/reference/ec2/describe-availability-zones.html (To describe your
    // Availability Zones), in the wire form of
    // https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_DescribeAvailabilityZones.html.
    /// <summary>EC2 DescribeAvailabilityZones, the zones of us-west-2 (and a Local Zone).</summary>
    public static FakeResponse DescribeAvailabilityZones() => new(200, """
        <DescribeAvailabilityZonesResponse xmlns="http://ec2.amazonaws.com/doc/2016-11-15/">
          <requestId>EXAMPLE</requestId>
          <availabilityZoneInfo>
            <item>
              <zoneState>available</zoneState>
              <optInStatus>opt-in-not-required</optInStatus>
              <messageSet/>
              <regionName>us-west-2</regionName>
              <zoneName>us-west-2a</zoneName>
              <zoneId>usw2-az1</zoneId>
              <groupName>us-west-2</groupName>
              <networkBorderGroup>us-west-2</networkBorderGroup>
              <!-- Not in the example: the model's AvailabilityZone.ZoneType. -->
              <zoneType>availability-zone</zoneType>
            </item>
            <item>
              <zoneState>available</zoneState>
              <optInStatus>opt-in-not-required</optInStatus>
              <messageSet/>
              <regionName>us-west-2</regionName>
              <zoneName>us-west-2b</zoneName>
              <zoneId>usw2-az2</zoneId>
              <groupName>us-west-2</groupName>
              <networkBorderGroup>us-west-2</networkBorderGroup>
            </item>
            <item>
              <zoneState>available</zoneState>
              <optInStatus>opt-in-not-required</optInStatus>
              <messageSet/>
              <regionName>us-west-2</regionName>
              <zoneName>us-west-2c</zoneName>
              <zoneId>usw2-az3</zoneId>
              <groupName>us-west-2</groupName>
              <networkBorderGroup>us-west-2</networkBorderGroup>
            </item>
            <item>
              <zoneState>available</zoneState>
              <optInStatus>opt-in-not-required</optInStatus>
              <messageSet/>
              <regionName>us-west-2</regionName>
              <zoneName>us-west-2d</zoneName>
              <zoneId>usw2-az4</zoneId>
              <groupName>us-west-2</groupName>
              <networkBorderGroup>us-west-2</networkBorderGroup>
            </item>
            <item>
              <zoneState>available</zoneState>
              <optInStatus>opted-in</optInStatus>
              <messageSet/>
              <regionName>us-west-2</regionName>
              <zoneName>us-west-2-lax-1a</zoneName>
              <zoneId>usw2-lax1-az1</zoneId>
              <groupName>us-west-2-lax-1</groupName>
              <networkBorderGroup>us-west-2-lax-1</networkBorderGroup>
            </item>
          </availabilityZoneInfo>
        </DescribeAvailabilityZonesResponse>
        """);
}
