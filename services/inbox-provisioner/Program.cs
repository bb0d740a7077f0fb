using OrdersMail.BuildingBlocks.Hosting;
using OrdersMail.InboxProvisioner;

var builder = WebApplication.CreateBuilder(args);
builder.AddServiceDefaults(InboxProvisionerService.Info, bus => bus.AddInboxProvisionerConsumers());
builder.AddInboxProvisioner();

var app = builder.Build();
app.MapDefaultEndpoints();
app.MapInboxProvisioner();

await app.RunAsync();
