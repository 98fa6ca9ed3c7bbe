using SpotOptimizer.Cloud.Tests.Aws;

namespace SpotOptimizer.Cloud.Tests.SimulatedAws;

/// <summary>
/// The Auto Scaling reference answer (Query, 2011-01-01) the simulator's DescribeAutoScalingGroups is held to.
/// <para>
/// Where it is from: the API reference page prints its example below the part of the page the search index keeps, so
/// it could not be read here. The reference is the example AWS publishes for the same operation in the AWS CLI Command
/// Reference, written in the Query wire form (<c>{Action}Response/{Action}Result</c>, lists as <c>member</c>s, each
/// element named as the Auto Scaling service model, botocore <c>data/autoscaling/2011-01-01/service-2.json</c>, names
/// it). Its group has no tags and no mixed instances policy; both are filled in from other examples AWS publishes for
/// those same shapes, cited below, and an element the simulator serves that none of them shows stands under a comment
/// naming the model's member.
/// </para>
/// </summary>
public static class AutoScalingReferenceExamples
{
    // https://docs.aws.amazon.com/cli/latest/reference/autoscaling/describe-auto-scaling-groups.html (Example 1: To
    // describe the specified Auto Scaling group), in the wire form of
    // https://docs.aws.amazon.com/autoscaling/ec2/APIReference/API_DescribeAutoScalingGroups.html; its Tags are the
    // TagDescriptions of https://docs.aws.amazon.com/cli/latest/reference/autoscaling/describe-tags.html (Example 1: To
    // describe all tags). The second member is the same group with the MixedInstancesPolicy of
    // https://docs.aws.amazon.com/cli/latest/reference/autoscaling/update-auto-scaling-group.html (the example that
    // sets a mixed instances policy) in place of its LaunchTemplate.
    /// <summary>Auto Scaling DescribeAutoScalingGroups: a group with a launch template, and one with a mixed instances policy.</summary>
    public static FakeResponse DescribeAutoScalingGroups() => new(200, """
        <DescribeAutoScalingGroupsResponse xmlns="http://autoscaling.amazonaws.com/doc/2011-01-01/">
          <DescribeAutoScalingGroupsResult>
            <AutoScalingGroups>
              <member>
                <AutoScalingGroupName>my-asg</AutoScalingGroupName>
                <AutoScalingGroupARN>arn:aws:autoscaling:us-west-2:123456789012:autoScalingGroup:930d940e-891e-4781-a11a-7b0acd480f03:autoScalingGroupName/my-asg</AutoScalingGroupARN>
                <LaunchTemplate>
                  <LaunchTemplateName>my-launch-template</LaunchTemplateName>
                  <Version>1</Version>
                  <LaunchTemplateId>lt-1234567890abcde12</LaunchTemplateId>
                </LaunchTemplate>
                <MinSize>0</MinSize>
                <MaxSize>1</MaxSize>
                <DesiredCapacity>1</DesiredCapacity>
                <DefaultCooldown>300</DefaultCooldown>
                <AvailabilityZones>
                  <member>us-west-2a</member>
                  <member>us-west-2b</member>
                  <member>us-west-2c</member>
                </AvailabilityZones>
                <LoadBalancerNames/>
                <TargetGroupARNs/>
                <HealthCheckType>EC2</HealthCheckType>
                <HealthCheckGracePeriod>0</HealthCheckGracePeriod>
                <Instances>
                  <member>
                    <InstanceId>i-06905f55584de02da</InstanceId>
                    <InstanceType>t2.micro</InstanceType>
                    <AvailabilityZone>us-west-2a</AvailabilityZone>
                    <HealthStatus>Healthy</HealthStatus>
                    <LifecycleState>InService</LifecycleState>
                    <ProtectedFromScaleIn>false</ProtectedFromScaleIn>
                    <LaunchTemplate>
                      <LaunchTemplateName>my-launch-template</LaunchTemplateName>
                      <Version>1</Version>
                      <LaunchTemplateId>lt-1234567890abcde12</LaunchTemplateId>
                    </LaunchTemplate>
                  </member>
                </Instances>
                <CreatedTime>2023-10-28T02:39:22.152Z</CreatedTime>
                <SuspendedProcesses/>
                <VPCZoneIdentifier>subnet-5ea0c127,subnet-6194ea3b,subnet-c934b782</VPCZoneIdentifier>
                <EnabledMetrics/>
                <Tags>
                  <member>
                    <ResourceType>auto-scaling-group</ResourceType>
                    <ResourceId>my-asg</ResourceId>
                    <PropagateAtLaunch>true</PropagateAtLaunch>
                    <Value>Research</Value>
                    <Key>Dept</Key>
                  </member>
                  <member>
                    <ResourceType>auto-scaling-group</ResourceType>
                    <ResourceId>my-asg</ResourceId>
                    <PropagateAtLaunch>true</PropagateAtLaunch>
                    <Value>WebServer</Value>
                    <Key>Role</Key>
                  </member>
                </Tags>
                <TerminationPolicies>
                  <member>Default</member>
                </TerminationPolicies>
                <NewInstancesProtectedFromScaleIn>false</NewInstancesProtectedFromScaleIn>
                <ServiceLinkedRoleARN>arn</ServiceLinkedRoleARN>
                <TrafficSources/>
              </member>
              <member>
                <AutoScalingGroupName>my-asg</AutoScalingGroupName>
                <AutoScalingGroupARN>arn:aws:autoscaling:us-west-2:123456789012:autoScalingGroup:930d940e-891e-4781-a11a-7b0acd480f03:autoScalingGroupName/my-asg</AutoScalingGroupARN>
                <MixedInstancesPolicy>
                  <LaunchTemplate>
                    <LaunchTemplateSpecification>
                      <!-- Not in the example (it names its template): the model's LaunchTemplateSpecification.LaunchTemplateId. -->
                      <LaunchTemplateId>lt-0123456789abcdef0</LaunchTemplateId>
                      <LaunchTemplateName>my-launch-template-for-x86</LaunchTemplateName>
                      <Version>$Latest</Version>
                    </LaunchTemplateSpecification>
                    <Overrides>
                      <member>
                        <InstanceType>c6g.large</InstanceType>
                        <LaunchTemplateSpecification>
                          <LaunchTemplateName>my-launch-template-for-arm</LaunchTemplateName>
                          <Version>$Latest</Version>
                        </LaunchTemplateSpecification>
                      </member>
                      <member>
                        <InstanceType>c5.large</InstanceType>
                      </member>
                      <member>
                        <InstanceType>c5a.large</InstanceType>
                      </member>
                    </Overrides>
                  </LaunchTemplate>
                  <InstancesDistribution>
                    <OnDemandPercentageAboveBaseCapacity>50</OnDemandPercentageAboveBaseCapacity>
                    <SpotAllocationStrategy>capacity-optimized</SpotAllocationStrategy>
                  </InstancesDistribution>
                </MixedInstancesPolicy>
                <MinSize>0</MinSize>
                <MaxSize>1</MaxSize>
                <DesiredCapacity>1</DesiredCapacity>
                <DefaultCooldown>300</DefaultCooldown>
                <AvailabilityZones>
                  <member>us-west-2a</member>
                  <member>us-west-2b</member>
                  <member>us-west-2c</member>
                </AvailabilityZones>
                <LoadBalancerNames/>
                <TargetGroupARNs/>
                <HealthCheckType>EC2</HealthCheckType>
                <HealthCheckGracePeriod>0</HealthCheckGracePeriod>
                <Instances>
                  <member>
                    <InstanceId>i-06905f55584de02da</InstanceId>
                    <InstanceType>t2.micro</InstanceType>
                    <AvailabilityZone>us-west-2a</AvailabilityZone>
                    <HealthStatus>Healthy</HealthStatus>
                    <LifecycleState>InService</LifecycleState>
                    <ProtectedFromScaleIn>false</ProtectedFromScaleIn>
                  </member>
                </Instances>
                <CreatedTime>2023-10-28T02:39:22.152Z</CreatedTime>
                <SuspendedProcesses/>
                <VPCZoneIdentifier>subnet-5ea0c127,subnet-6194ea3b,subnet-c934b782</VPCZoneIdentifier>
                <EnabledMetrics/>
                <Tags>
                  <member>
                    <ResourceType>auto-scaling-group</ResourceType>
                    <ResourceId>my-asg</ResourceId>
                    <PropagateAtLaunch>true</PropagateAtLaunch>
                    <Value>Research</Value>
                    <Key>Dept</Key>
                  </member>
                  <member>
                    <ResourceType>auto-scaling-group</ResourceType>
                    <ResourceId>my-asg</ResourceId>
                    <PropagateAtLaunch>true</PropagateAtLaunch>
                    <Value>WebServer</Value>
                    <Key>Role</Key>
                  </member>
                </Tags>
                <TerminationPolicies>
                  <member>Default</member>
                </TerminationPolicies>
                <NewInstancesProtectedFromScaleIn>false</NewInstancesProtectedFromScaleIn>
                <ServiceLinkedRoleARN>arn</ServiceLinkedRoleARN>
                <TrafficSources/>
              </member>
            </AutoScalingGroups>
          </DescribeAutoScalingGroupsResult>
          <ResponseMetadata><RequestId>EXAMPLE</RequestId></ResponseMetadata>
        </DescribeAutoScalingGroupsResponse>
        """);
}
