using OrdersMail.Journey;

// Plays one customer's journey against the system deploy/local/up.sh started (ports from the ORDERSMAIL_ variables),
// printing each step as it happens, then where to look. Exit code 0 when every step happened, 1 otherwise.
var settings = JourneySettings.FromEnvironment();
using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(15) };
using var cancel = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) => { e.Cancel = true; cancel.Cancel(); };

var printer = new JourneyPrinter(Console.Out, settings);
try
{
    var outcome = await new CustomerJourney(http, settings, printer.Step).RunAsync(cancel.Token);
    printer.WhereToLook(outcome);
    return 0;
}
catch (JourneyStepFailedException failed)
{
    printer.Failed(failed);
    return 1;
}
