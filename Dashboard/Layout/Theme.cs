using MudBlazor;

namespace SpotOptimizer.Dashboard.Layout;

/// <summary>
/// MudBlazor's palette with the status colours darkened (light) or given dark text (dark) so that every chip, alert
/// and coloured button meets WCAG AA contrast (4.5:1); the accessibility tests hold every page to it.
/// </summary>
public static class Theme
{
    public static MudTheme Accessible { get; } = new()
    {
        PaletteLight = new PaletteLight
        {
            Success = "#17692f",
            Info = "#0a5fb4",
            Warning = "#8a5100",
            Error = "#b71c1c",
        },
        PaletteDark = new PaletteDark
        {
            // MudBlazor's dark primary (#776be7) and secondary text (50 % white) reach only about 3:1 and 4.3:1 on the dark
            // surfaces: links, the current page in the navigation and empty fields' labels need the lighter tones.
            Primary = "#a79fff",
            TextSecondary = "rgba(255,255,255,0.62)",
            PrimaryContrastText = "rgba(0,0,0,0.87)",
            Success = "#3dcb6c",
            SuccessContrastText = "rgba(0,0,0,0.87)",
            Info = "#5aabff",
            InfoContrastText = "rgba(0,0,0,0.87)",
            Warning = "#ffb545",
            WarningContrastText = "rgba(0,0,0,0.87)",
            Error = "#ff7b8a",
            ErrorContrastText = "rgba(0,0,0,0.87)",
            // An alert writes in the "darken" tone over a faint tint of its colour: on a dark surface that tone must be lighter, not darker.
            InfoDarken = "#8cc4ff",
            SuccessDarken = "#6fdc93",
            WarningDarken = "#ffc46b",
            ErrorDarken = "#ff9da8",
        },
    };
}
