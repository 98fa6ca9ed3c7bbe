using System.Net;
using SpotOptimizer.Api.Apis;
using SpotOptimizer.Cloud;
using SpotOptimizer.Cloud.Aws;

namespace SpotOptimizer.Api.Tests.Onboarding;

public sealed partial class CloudFormationTemplateTests
{
    [Fact]
    public void Template_GrantsEveryActionTheProductChecks()
    {
        var template = CloudFormationOptions.Template;
        Assert.All(RequiredPermissions.Actions, action => Assert.Contains($"- {action}", template, StringComparison.Ordinal));
        Assert.Contains("sts:ExternalId: !Ref ExternalId", template, StringComparison.Ordinal);
    }

    /// <summary>
    /// The three lists of the role's actions agree: the template's role policy, what the permission check probes
    /// (<see cref="RequiredPermissions"/>) and what the AWS provider declares it calls (<see cref="AwsCalledActions"/>).
    /// Whether that declaration is what the code really calls is <see cref="CustomerRoleActionsTests"/>' question.
    /// </summary>
    [Fact]
    public void RolePolicy_ListsExactlyTheDeclaredActions()
    {
        var granted = RolePolicyActions(CloudFormationOptions.Template);

        Assert.Equal(RequiredPermissions.Actions.Order(StringComparer.Ordinal), granted.Order(StringComparer.Ordinal));
        Assert.Equal(RequiredPermissions.Actions.Order(StringComparer.Ordinal), AwsCalledActions.All.Distinct().Order(StringComparer.Ordinal));
    }

    /// <summary>
    /// Tags only at launch: a CreateTags allowed on existing instances could mark any instance as a cluster's node and so
    /// open it to the Terminate/Stop/Start that only cluster nodes may receive.
    /// </summary>
    [Fact]
    public void CreateTags_GrantedOnlyWithinCreateFleetOrRunInstances()
    {
        var template = CloudFormationOptions.Template;
        var lines = template.Split('\n');
        var at = Array.FindIndex(lines, l => l.Trim() == $"- {CloudActions.CreateTags}");
        var statement = lines.Skip(at + 1).TakeWhile(l => !l.TrimStart().StartsWith("- Sid:", StringComparison.Ordinal) && !l.TrimStart().StartsWith('#')).ToList();

        Assert.Single(lines, l => l.Trim() == $"- {CloudActions.CreateTags}");
        Assert.Equal("Action:", lines[at - 1].Trim());
        Assert.Equal(
            ["Resource: \"*\"", "Condition:", "StringEquals:", "ec2:CreateAction:", "- CreateFleet", "- RunInstances"],
            statement.Select(l => l.Trim()).Where(l => l.Length > 0));
    }

    [Fact]
    public void EventsQueue_EncryptedKeptADay_OnlyTheRuleSends_OnlyTheRoleReadsIt()
    {
        var template = CloudFormationOptions.Template;

        Assert.Contains($"QueueName: {InstanceEventQueue.QueueName}", template, StringComparison.Ordinal);
        Assert.Contains("SqsManagedSseEnabled: true", template, StringComparison.Ordinal);
        Assert.Contains("MessageRetentionPeriod: 86400", template, StringComparison.Ordinal);
        Assert.Contains("Service: events.amazonaws.com", template, StringComparison.Ordinal);
        Assert.Contains("aws:SourceArn: !GetAtt InstanceEventsRule.Arn", template, StringComparison.Ordinal);
        foreach (var detailType in new[] { EventBridgeEvents.InterruptionWarning, EventBridgeEvents.RebalanceRecommendation, EventBridgeEvents.StateChange })
            Assert.Contains($"- {detailType}", template, StringComparison.Ordinal);
        // The role's queue statement names the queue, never "*".
        var statement = template[template.IndexOf("- sqs:ReceiveMessage", StringComparison.Ordinal)..];
        Assert.StartsWith("Resource: !GetAtt InstanceEventsQueue.Arn", statement[statement.IndexOf("Resource:", StringComparison.Ordinal)..], StringComparison.Ordinal);
        Assert.Contains("InstanceEventsQueueUrl:", template[template.IndexOf("Outputs:", StringComparison.Ordinal)..], StringComparison.Ordinal);
    }

    /// <summary>The actions of the role's own policies: list items and inline actions under its <c>Policies:</c>, up to the next resource.</summary>
    private static IReadOnlyList<string> RolePolicyActions(string template)
    {
        var lines = template.Split('\n');
        var start = Array.FindIndex(lines, l => l == "      Policies:");
        Assert.True(start > 0, "The role has no Policies section.");
        var actions = new List<string>();
        foreach (var line in lines.Skip(start + 1).TakeWhile(l => l.Length == 0 || l.StartsWith("      ", StringComparison.Ordinal) || l.TrimStart().StartsWith('#')))
        {
            var match = PolicyAction().Match(line);
            if (match.Success) actions.Add(match.Groups["action"].Value);
        }

        Assert.NotEmpty(actions);
        return actions.Distinct(StringComparer.Ordinal).ToList();
    }

    [System.Text.RegularExpressions.GeneratedRegex(@"^\s+(?:-\s+|Action:\s+)(?<action>[a-z0-9]+:[A-Za-z]+)\s*$")]
    private static partial System.Text.RegularExpressions.Regex PolicyAction();

    [Fact]
    public void QuickCreateUrl_CarriesTemplateExternalIdAndPlatformAccount()
    {
        var url = new CloudFormationOptions { PlatformAccountId = "123456789012" }
            .QuickCreateUrl("https://api.example.com/api/connect/template", "0b9f7a36-3c55-4bb9-9d0c-6c1f7b9d8e21");

        Assert.StartsWith("https://console.aws.amazon.com/cloudformation/home?region=us-east-1#/stacks/quickcreate?", url, StringComparison.Ordinal);
        Assert.Contains("templateURL=https%3A%2F%2Fapi.example.com%2Fapi%2Fconnect%2Ftemplate", url, StringComparison.Ordinal);
        Assert.Contains("param_ExternalId=0b9f7a36-3c55-4bb9-9d0c-6c1f7b9d8e21", url, StringComparison.Ordinal);
        Assert.Contains("param_PlatformAccountId=123456789012", url, StringComparison.Ordinal);
    }

    [Fact]
    public async Task GetTemplate_Anonymous_ServesTheShippedYaml()
    {
        await using var app = SpotOptimizerApp.Sqlite();
        using var response = await app.CreateClient().GetAsync("/api/connect/template");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(CloudFormationOptions.Template, await response.Content.ReadAsStringAsync());
    }
}
