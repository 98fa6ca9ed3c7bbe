using System.Reflection;

namespace SpotOptimizer.Api.Apis;

/// <summary>Where customers deploy our cross-account role from (section <c>CloudFormation</c>).</summary>
public sealed class CloudFormationOptions
{
    /// <summary>Our AWS account, trusted by the customer's role.</summary>
    public string PlatformAccountId { get; set; } = "999988887777";

    public string Region { get; set; } = "us-east-1";

    public string StackName { get; set; } = "SpotOptimizer";

    /// <summary>The template shipped in deploy/cloudformation, embedded so the API serves exactly what was reviewed.</summary>
    public static string Template { get; } = ReadTemplate();

    public string QuickCreateUrl(string templateUrl, string externalId) =>
        $"https://console.aws.amazon.com/cloudformation/home?region={Region}#/stacks/quickcreate" +
        $"?templateURL={Uri.EscapeDataString(templateUrl)}&stackName={Uri.EscapeDataString(StackName)}" +
        $"&param_ExternalId={Uri.EscapeDataString(externalId)}&param_PlatformAccountId={PlatformAccountId}";

    private static string ReadTemplate()
    {
        using var stream = Assembly.GetExecutingAssembly().GetManifestResourceStream("cloudformation/spotoptimizer-role.yaml")
            ?? throw new InvalidOperationException("The CloudFormation template is not embedded.");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }
}
