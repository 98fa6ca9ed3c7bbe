using k8s.Models;
using SpotOptimizer.Agent.Inventory;

namespace SpotOptimizer.Agent.Tests;

/// <summary>The small rules under the mapping: label selectors, pinned node labels, PDB numbers, provider ids, quantities.</summary>
public sealed class SchedulingRulesTests
{
    private static readonly Dictionary<string, string> Labels = new() { ["app"] = "web", ["tier"] = "front" };

    [Theory]
    [InlineData("In", "web", true)]
    [InlineData("In", "api", false)]
    [InlineData("NotIn", "web", false)]
    [InlineData("NotIn", "api", true)]
    [InlineData("Exists", null, true)]
    [InlineData("DoesNotExist", null, false)]
    public void Matches_OneExpression_KubernetesSemantics(string op, string? value, bool expected)
    {
        var selector = new V1LabelSelector { MatchExpressions = [new V1LabelSelectorRequirement { Key = "app", OperatorProperty = op, Values = value is null ? null : [value] }] };
        Assert.Equal(expected, LabelSelectors.Matches(selector, Labels));
    }

    [Fact]
    public void Matches_EmptyAndNullSelectors_AllAndNothing()
    {
        Assert.True(LabelSelectors.Matches(new V1LabelSelector(), Labels));
        Assert.False(LabelSelectors.Matches(null, Labels));
        Assert.False(LabelSelectors.Matches(new V1LabelSelector { MatchLabels = new Dictionary<string, string> { ["app"] = "web", ["tier"] = "back" } }, Labels));
    }

    [Theory]
    [InlineData("50%", 5, 3)]
    [InlineData("25%", 4, 1)]
    [InlineData("0%", 4, 0)]
    [InlineData("100%", 3, 3)]
    [InlineData("2", 10, 2)]
    public void Scaled_PercentOrInteger_RoundedUpAgainstReplicas(string value, int replicas, int expected)
    {
        Assert.Equal(expected, WorkloadMapper.Scaled(value, replicas));
    }

    [Fact]
    public void RequiredValue_TermsDisagreeOrSeveralValues_NotPinned()
    {
        static V1NodeSelectorTerm Term(params string[] zones) =>
            new() { MatchExpressions = [new V1NodeSelectorRequirement { Key = PodMapper.ZoneLabel, OperatorProperty = "In", Values = zones }] };
        static V1PodSpec Spec(params V1NodeSelectorTerm[] terms) => new()
        {
            Affinity = new V1Affinity { NodeAffinity = new V1NodeAffinity { RequiredDuringSchedulingIgnoredDuringExecution = new V1NodeSelector { NodeSelectorTerms = terms } } },
        };

        Assert.Equal("us-east-1a", PodMapper.RequiredValue(Spec(Term("us-east-1a"), Term("us-east-1a")), PodMapper.ZoneLabel));
        Assert.Null(PodMapper.RequiredValue(Spec(Term("us-east-1a"), Term("us-east-1b")), PodMapper.ZoneLabel));
        Assert.Null(PodMapper.RequiredValue(Spec(Term("us-east-1a", "us-east-1b")), PodMapper.ZoneLabel));
        Assert.Equal("us-east-1c", PodMapper.RequiredValue(new V1PodSpec { NodeSelector = new Dictionary<string, string> { [PodMapper.ZoneLabel] = "us-east-1c" } }, PodMapper.ZoneLabel));
    }

    [Theory]
    [InlineData("aws:///us-east-1a/i-0a1b2c3d4e5f60718", "i-0a1b2c3d4e5f60718")]
    [InlineData("aws:///eu-west-1c/i-12345678", "i-12345678")]
    [InlineData("fargate:///us-east-1c/coredns-7d6f8c9b5-x2x4q", null)]
    [InlineData("kind://docker/kind/kind-control-plane", null)]
    [InlineData(null, null)]
    public void InstanceId_ProviderIds_OnlyEc2Instances(string? providerId, string? expected)
    {
        Assert.Equal(expected, NodeMapper.InstanceId(providerId));
    }

    [Theory]
    [InlineData("100m", 100, "1Gi", 1024)]
    [InlineData("1.5", 1500, "512M", 489)]
    [InlineData("0.1m", 1, "1000Ki", 1)]
    [InlineData("2", 2000, "1.5Gi", 1536)]
    public void Quantities_CpuAndMemory_MillicoresAndMiBRoundedUp(string cpu, int millicores, string memory, int mib)
    {
        Assert.Equal((millicores, mib), (Quantities.Millicores(new ResourceQuantity(cpu)), Quantities.MiB(new ResourceQuantity(memory))));
    }
}
