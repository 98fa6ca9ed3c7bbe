namespace SpotOptimizer.Governance;

/// <summary>
/// A finding about a node template. A <see cref="Blocking"/> one means the template cannot be saved (a family that does
/// not exist or can never run); the others explain what the template will do.
/// </summary>
public sealed record TemplateWarning(string Code, string Family, string Message)
{
    public bool Blocking => Code is "unknown_family" or "arch_mismatch" or "no_usable_family";
}

/// <summary>Checks a template's instance families against the architectures it allows, from AWS's instance data.</summary>
public static class TemplateValidator
{
    public static IReadOnlyList<TemplateWarning> Validate(IEnumerable<string> families, IEnumerable<Architecture> architectures)
    {
        var allowed = architectures.Aggregate(Architecture.None, (all, a) => all | a);
        var warnings = new List<TemplateWarning>();
        var usable = 0;
        foreach (var name in families.Select(f => f.Trim().ToLowerInvariant()).Distinct(StringComparer.Ordinal))
        {
            if (InstanceFamilies.Find(name) is not { } family)
            {
                warnings.Add(new TemplateWarning("unknown_family", name, $"{name} is not an EC2 instance family."));
                continue;
            }

            var matching = family.Architectures & allowed;
            if (matching == Architecture.None)
            {
                warnings.Add(new TemplateWarning("arch_mismatch", name,
                    $"{name} is {Describe(family.Architectures)} only; the template allows {Describe(allowed)}, so it can never be used."));
                continue;
            }

            usable++;
            if (family.HasGpu) warnings.Add(new TemplateWarning("gpu_family", name, $"{name} carries GPUs ({family.Gpu}): costly for workloads that do not use them."));
            if (family.IsBurstable) warnings.Add(new TemplateWarning("burstable_family", name, $"{name} is burstable (CPU credits): sustained load is throttled."));
        }

        if (usable == 0) warnings.Add(new TemplateWarning("no_usable_family", "", "No family of this template can run under its architectures."));
        return warnings;
    }

    private static string Describe(Architecture architectures) =>
        architectures switch
        {
            Architecture.None => "no architecture",
            Architecture.X64 | Architecture.Arm64 => "x86_64 and arm64",
            _ => InstanceFamilies.Name(architectures),
        };
}
