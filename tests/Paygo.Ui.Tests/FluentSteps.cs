using Microsoft.Playwright;

namespace Paygo.Ui.Tests;

/// <summary>
/// Using Fluent UI's web components as a person does. They are custom elements: until the Fluent
/// module has upgraded them after a full page load, a click on a button submits nothing and a
/// dropdown does not open, so every step first waits for the elements to be defined.
/// </summary>
internal static class FluentSteps
{
    /// <summary>True once every Fluent element the dashboard uses is defined (the module has loaded).</summary>
    public const string Ready =
        "() => ['fluent-button', 'fluent-text-input', 'fluent-dropdown', 'fluent-option', 'fluent-checkbox'].every(n => customElements.get(n) !== undefined)";

    public static Task ReadyAsync(IPage page) => page.WaitForFunctionAsync(Ready);

    /// <summary>Types into a FluentTextInput (its native input is in the shadow root).</summary>
    public static async Task FillAsync(IPage page, string id, string text)
    {
        await ReadyAsync(page);
        await page.Locator($"#{id} input").FillAsync(text);
    }

    /// <summary>Opens a FluentSelect (a fluent-dropdown) and picks the option with this value.</summary>
    public static async Task SelectAsync(IPage page, string id, string value)
    {
        await ReadyAsync(page);
        await page.Locator($"#{id}").ClickAsync();
        await page.Locator($"#{id} fluent-option[value='{value}']").ClickAsync();
        await Assertions.Expect(page.Locator($"#{id}")).ToHaveJSPropertyAsync("value", value);
    }

    /// <summary>Clicks a Fluent button (or checkbox) once it is upgraded.</summary>
    public static async Task ClickAsync(IPage page, ILocator control)
    {
        await ReadyAsync(page);
        await control.ClickAsync();
    }
}
