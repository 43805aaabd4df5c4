using OpenQA.Selenium;
using OpenQA.Selenium.Chrome;
using OpenQA.Selenium.Support.UI;
using TrainKit.Explorer.Server;
using Xunit.Abstractions;

namespace TrainKit.Explorer.Tests;

/// <summary>
/// The page driven in headless Chromium (Debian's chromium + chromium-driver) through Selenium: a slider
/// moves, the charts and trajectories change, an invalid value shows the library's message. Chromium is
/// required: without it this test fails and says what to install.
/// </summary>
public sealed class BrowserEndToEndTests(ITestOutputHelper output) : IDisposable
{
    static readonly string ChromiumPath = Environment.GetEnvironmentVariable("TRAINKIT_CHROMIUM") ?? "/usr/bin/chromium";
    static readonly string ChromeDriverPath = Environment.GetEnvironmentVariable("TRAINKIT_CHROMEDRIVER") ?? "/usr/bin/chromedriver";

    readonly string _profile = Directory.CreateTempSubdirectory("trainkit-chromium-").FullName;

    public void Dispose()
    {
        try { Directory.Delete(_profile, recursive: true); } catch (IOException) { }
    }

    ChromeDriver StartBrowser()
    {
        Assert.True(File.Exists(ChromiumPath) && File.Exists(ChromeDriverPath),
            $"headless Chromium is required for the explorer's end-to-end test but {ChromiumPath} or {ChromeDriverPath} is missing: " +
            "install Debian's packages (apt-get install chromium chromium-driver) or set TRAINKIT_CHROMIUM / TRAINKIT_CHROMEDRIVER");
        var service = ChromeDriverService.CreateDefaultService(Path.GetDirectoryName(ChromeDriverPath)!, Path.GetFileName(ChromeDriverPath));
        service.SuppressInitialDiagnosticInformation = true;
        var options = new ChromeOptions { BinaryLocation = ChromiumPath };
        options.AddArguments("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
            "--disable-component-update", "--disable-sync", $"--user-data-dir={_profile}", "--window-size=1600,1400");
        return new ChromeDriver(service, options, TimeSpan.FromSeconds(120));
    }

    static string Data(IWebDriver d, string name) => (string?)((IJavaScriptExecutor)d).ExecuteScript($"return document.body.dataset.{name} || ''") ?? "";

    static int Updates(IWebDriver d) => int.TryParse(Data(d, "updates"), out int n) ? n : 0;

    /// <summary>Waits until an update after <paramref name="before"/> has landed and none is in flight.</summary>
    static void WaitForUpdate(IWebDriver d, int before) =>
        new WebDriverWait(d, TimeSpan.FromSeconds(60)).Until(x => Updates(x) > before && Data(x, "busy") == "false");

    static string Html(IWebDriver d, string id) => d.FindElement(By.Id(id)).GetDomProperty("innerHTML") ?? "";

    static IWebElement Field(IWebDriver d, int schedule, string param) =>
        d.FindElement(By.CssSelector($".card[data-schedule=\"{schedule}\"] .field[data-field=\"{param}\"]"));

    [Trait("Category", "Slow")]
    [Fact]
    public async Task Moving_a_slider_redraws_and_an_invalid_value_shows_the_library_message()
    {
        await using var server = await ExplorerServer.StartAsync(0);
        using var driver = StartBrowser();
        driver.Navigate().GoToUrl(server.Url);
        WaitForUpdate(driver, 0);
        Assert.Contains("<svg", Html(driver, "chart-lr"));
        string lrBefore = Html(driver, "chart-lr"), contourBefore = Html(driver, "chart-contour");
        string summaryBefore = driver.FindElement(By.CssSelector("#summary tr[data-schedule=\"0\"]")).Text;

        // Move the first schedule's T_max slider with the keyboard, as a user would.
        var tMax = Field(driver, 0, "T_max");
        var slider = tMax.FindElement(By.CssSelector("input[type=range]"));
        int updates = Updates(driver);
        for (int i = 0; i < 150; i++) slider.SendKeys(Keys.ArrowLeft);
        WaitForUpdate(driver, updates);
        Assert.Equal("150", tMax.FindElement(By.CssSelector("input.value")).GetDomProperty("value"));
        Assert.NotEqual(lrBefore, Html(driver, "chart-lr"));
        Assert.NotEqual(contourBefore, Html(driver, "chart-contour"));
        Assert.NotEqual(summaryBefore, driver.FindElement(By.CssSelector("#summary tr[data-schedule=\"0\"]")).Text);

        // An invalid value: the library's own message appears next to the field.
        var box = tMax.FindElement(By.CssSelector("input.value"));
        updates = Updates(driver);
        box.Clear();
        box.SendKeys("-5");
        WaitForUpdate(driver, updates);
        var error = tMax.FindElement(By.CssSelector(".field-error"));
        new WebDriverWait(driver, TimeSpan.FromSeconds(30)).Until(_ => error.Text == "T_max must be > 0, got -5");
        Assert.Contains("invalid", tMax.GetAttribute("class"));

        // A valid value clears it; then a base lr above 2/λ_max (0.2) makes gradient descent diverge.
        updates = Updates(driver);
        box.Clear();
        box.SendKeys("300");
        WaitForUpdate(driver, updates);
        Assert.Equal("", error.Text);
        var baseLr = driver.FindElement(By.CssSelector("#run-fields .field[data-field=\"base_lr\"] input.value"));
        updates = Updates(driver);
        baseLr.Clear();
        baseLr.SendKeys("0.25");
        WaitForUpdate(driver, updates);
        Assert.Contains("diverged", driver.FindElement(By.CssSelector("#summary tr[data-schedule=\"0\"]")).Text);

        // Overlay another schedule: a third card, a third row, a third curve.
        updates = Updates(driver);
        driver.FindElement(By.Id("add-schedule")).Click();
        WaitForUpdate(driver, updates);
        Assert.Equal(3, driver.FindElements(By.CssSelector("#schedules .card")).Count);
        Assert.Equal(3, driver.FindElements(By.CssSelector("#summary tr[data-schedule]")).Count);
        Assert.Equal(3, driver.FindElements(By.CssSelector("#exports .export")).Count);
        // The cards were rebuilt: find the slider again.
        slider = Field(driver, 0, "T_max").FindElement(By.CssSelector("input[type=range]"));

        // Latency, as the page measures it: from the input event to the charts replaced in the DOM.
        var roundTrips = new List<double>();
        var serverTimes = new List<double>();
        for (int i = 0; i < 20; i++)
        {
            updates = Updates(driver);
            slider.SendKeys(i % 2 == 0 ? Keys.ArrowLeft : Keys.ArrowRight); // T_max is at the slider's top: go down first
            WaitForUpdate(driver, updates);
            roundTrips.Add(double.Parse(Data(driver, "roundTripMs"), System.Globalization.CultureInfo.InvariantCulture));
            serverTimes.Add(double.Parse(Data(driver, "serverMs"), System.Globalization.CultureInfo.InvariantCulture));
        }
        output.WriteLine($"slider update over {roundTrips.Count} moves: browser round trip median {Median(roundTrips):0.0} ms (max {roundTrips.Max():0.0}), " +
            $"server simulate+render median {Median(serverTimes):0.0} ms (max {serverTimes.Max():0.0})");
        Assert.All(roundTrips, ms => Assert.True(ms > 0));
    }

    static double Median(List<double> values)
    {
        var sorted = values.Order().ToArray();
        return sorted[sorted.Length / 2];
    }
}
