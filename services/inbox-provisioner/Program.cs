using OrdersMail.BuildingBlocks.Hosting;
using OrdersMail.InboxProvisioner;

var builder = WebApplication.CreateBuilder(args);
builder.AddServiceDefaults(InboxProvisionerService.Info);

var app = builder.Build();
app.MapDefaultEndpoints();

await app.RunAsync();
