using System.Net;
using SpotOptimizer.Api.Apis;
using SpotOptimizer.Cloud;

namespace SpotOptimizer.Api.Tests.Onboarding;

public sealed class CloudFormationTemplateTests
{
    [Fact]
    public void Template_GrantsEveryActionTheProductChecks()
    {
        var template = CloudFormationOptions.Template;
        Assert.All(RequiredPermissions.Actions, action => Assert.Contains($"- {action}", template, StringComparison.Ordinal));
        Assert.Contains("sts:ExternalId: !Ref ExternalId", template, StringComparison.Ordinal);
    }

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
