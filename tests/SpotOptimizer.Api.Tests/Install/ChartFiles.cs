using System.Text.RegularExpressions;
using k8s;
using YamlDotNet.RepresentationModel;

namespace SpotOptimizer.Api.Tests.Install;

/// <summary>The chart's files as copied next to the tests, and a template read as YAML without Helm.</summary>
public static partial class ChartFiles
{
    public static string Root => Path.Combine(AppContext.BaseDirectory, "chart", "spotoptimizer-agent");

    public static string Read(string relative) => File.ReadAllText(Path.Combine(Root, relative));

    /// <summary>
    /// A template without Helm: lines that are only actions (<c>{{- include … | nindent }}</c>, <c>{{- with }}</c>,
    /// <c>{{- end }}</c>) are dropped, any other action becomes the text <c>tpl</c>. Enough for the literal parts
    /// (rules, security contexts) a drift test compares; Helm's own rendering is <see cref="AgentChartTests"/>'s job where helm is installed.
    /// </summary>
    public static T Literal<T>(string template)
    {
        var lines = Read(Path.Combine("templates", template)).Split('\n')
            .Where(line => !ActionOnly().IsMatch(line))
            .Select(line => Action().Replace(line, "tpl"));
        return KubernetesYaml.Deserialize<T>(string.Join('\n', lines));
    }

    public static YamlMappingNode Values()
    {
        var yaml = new YamlStream();
        yaml.Load(new StringReader(Read("values.yaml")));
        return (YamlMappingNode)yaml.Documents[0].RootNode;
    }

    /// <summary>The scalar at a dotted path of values.yaml, or null when the path does not exist.</summary>
    public static YamlNode? Value(YamlMappingNode root, string dotted)
    {
        YamlNode node = root;
        foreach (var key in dotted.Split('.'))
        {
            if (node is not YamlMappingNode map || !map.Children.TryGetValue(new YamlScalarNode(key), out var child)) return null;
            node = child;
        }

        return node;
    }

    [GeneratedRegex(@"^\s*\{\{-?[^}]*\}\}\s*$")]
    private static partial Regex ActionOnly();

    [GeneratedRegex(@"\{\{-?.*?-?\}\}")]
    private static partial Regex Action();
}
