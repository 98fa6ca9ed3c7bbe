using SpotOptimizer.Governance;

namespace SpotOptimizer.Governance.Tests;

public sealed class TemplateValidatorTests
{
    [Fact]
    public void Validate_GpuX86FamilyWithArmOnly_ArchMismatch()
    {
        var warnings = TemplateValidator.Validate(["g4dn"], [Architecture.Arm64]);
        Assert.Contains(warnings, w => w is { Code: "arch_mismatch", Family: "g4dn" } && w.Message.Contains("x86_64 only", StringComparison.Ordinal));
        Assert.Contains(warnings, w => w.Code == "no_usable_family");
    }

    [Fact]
    public void Validate_GravitonFamilyWithX86Only_ArchMismatch() =>
        Assert.Contains(TemplateValidator.Validate(["m6g", "m5"], [Architecture.X64]), w => w is { Code: "arch_mismatch", Family: "m6g" });

    [Fact]
    public void Validate_PreviousGenerationFamiliesRealTemplatesUse_Usable()
    {
        var warnings = TemplateValidator.Validate(["p3", "dl1", "f1", "p2", "g3"], [Architecture.X64]);

        Assert.DoesNotContain(warnings, w => w.Blocking);
        Assert.Equal(["p3", "dl1", "p2", "g3"], warnings.Where(w => w.Code == "gpu_family").Select(w => w.Family));
        Assert.Contains(TemplateValidator.Validate(["p3"], [Architecture.Arm64]), w => w is { Code: "arch_mismatch", Family: "p3" });
    }

    [Fact]
    public void Validate_UnknownFamily_Named() =>
        Assert.Contains(TemplateValidator.Validate(["m5", "zz9"], [Architecture.X64]), w => w is { Code: "unknown_family", Family: "zz9" });

    [Fact]
    public void Validate_GeneralPurposeFamiliesOnTheirArch_NoWarnings() =>
        Assert.Empty(TemplateValidator.Validate(["m5", "c5", "r5", "m6i"], [Architecture.X64]));

    [Fact]
    public void Validate_GpuAndBurstable_WarnedButUsable()
    {
        var warnings = TemplateValidator.Validate(["p4d", "t3"], [Architecture.X64]);
        Assert.Contains(warnings, w => w is { Code: "gpu_family", Family: "p4d" } && w.Message.Contains("a100", StringComparison.Ordinal));
        Assert.Contains(warnings, w => w is { Code: "burstable_family", Family: "t3" });
        Assert.DoesNotContain(warnings, w => w.Code == "no_usable_family");
    }

    [Fact]
    public void Families_FromAwsData_CoverCatalogBreadth()
    {
        Assert.True(InstanceFamilies.All.Count > 150);
        Assert.True(InstanceFamilies.All.Count(f => f.Architectures == Architecture.Arm64) > 20);
        Assert.True(InstanceFamilies.All.Count(f => f.HasGpu) > 5);
    }
}
