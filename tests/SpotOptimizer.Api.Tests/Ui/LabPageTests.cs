using Microsoft.Playwright;
using SpotOptimizer.Api.Tests.Lab;

namespace SpotOptimizer.Api.Tests.Ui;

/// <summary>The Lab's model registry in a real browser: the built-in model is listed as production; a valid ONNX model is validated in the sandbox and listed as a candidate; one that breaks the contract is refused with the failed check, and nothing of it is kept; the upload is graduated and rolled back from the page.</summary>
public sealed class LabPageTests
{
    [SkippableFact]
    public async Task Upload_ValidModelRegistered_ContractBreakerRefusedWithItsCheck()
    {
        await using var app = Browser.DemoPlatformWithAdmin();
        await using var browser = await Browser.OpenAsync(app);
        var page = browser.Page;
        await browser.SignInAsync("/admin", Browser.AdminEmail, Browser.AdminPassword);
        await page.GetByRole(AriaRole.Link, new() { Name = "The Lab" }).ClickAsync();
        await Assertions.Expect(page.GetByText("No model uploaded yet")).ToBeVisibleAsync();
        var rows = page.GetByTestId("models").Locator("tbody tr");
        await Assertions.Expect(rows).ToHaveCountAsync(1);
        await Assertions.Expect(rows.First).ToContainTextAsync("production");

        var upload = page.GetByRole(AriaRole.Button, new() { Name = "Upload and validate" });
        await page.GetByLabel("Name (optional)").FillAsync("pool-logistic");
        await page.GetByLabel("Model file (ONNX or ML.NET zip)").SetInputFilesAsync(
            new FilePayload { Name = "logistic.onnx", MimeType = "application/octet-stream", Buffer = InterruptionOnnxModels.Logistic() });
        await upload.ClickAsync();
        await Assertions.Expect(page.GetByTestId("model-registered")).ToContainTextAsync("pool-logistic v1 passed MOD-VAL-01", new() { Timeout = 60_000 });
        await Assertions.Expect(rows).ToHaveCountAsync(2);
        await Assertions.Expect(rows.Nth(1)).ToContainTextAsync("candidate");

        await page.GetByLabel("Name (optional)").FillAsync("too-sure");
        await page.GetByLabel("Model file (ONNX or ML.NET zip)").SetInputFilesAsync(
            new FilePayload { Name = "too-sure.onnx", MimeType = "application/octet-stream", Buffer = InterruptionOnnxModels.TenTimesTooSure() });
        await upload.ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Alert)).ToContainTextAsync("model_contract_violation", new() { Timeout = 60_000 });
        await Assertions.Expect(rows).ToHaveCountAsync(2);
        await browser.ScreenshotAsync("lab-models");

        // Graduate the upload, then roll back to the built-in model: each behind a confirmation, each seen in the list.
        await page.GetByTestId("graduate-model").ClickAsync();
        await page.GetByRole(AriaRole.Option, new() { Name = "pool-logistic v1" }).ClickAsync();
        await page.GetByTestId("graduate").ClickAsync();
        await page.GetByRole(AriaRole.Dialog).GetByRole(AriaRole.Button, new() { Name = "Graduate" }).ClickAsync();
        await Assertions.Expect(page.GetByTestId("production-notice")).ToContainTextAsync("pool-logistic v1 is in production.");
        await Assertions.Expect(page.GetByTestId("production-current")).ToContainTextAsync("pool-logistic v1");
        await Assertions.Expect(rows.Nth(1)).ToContainTextAsync("production");
        await Assertions.Expect(rows.First).ToContainTextAsync("previous");
        await browser.ScreenshotAsync("lab-graduated");

        await page.GetByTestId("rollback").ClickAsync();
        await page.GetByRole(AriaRole.Dialog).GetByRole(AriaRole.Button, new() { Name = "Roll back" }).ClickAsync();
        await Assertions.Expect(page.GetByTestId("production-notice")).ToContainTextAsync("Rolled back to");
        await Assertions.Expect(rows.First).ToContainTextAsync("production");
    }
}
