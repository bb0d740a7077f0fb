using OrdersMail.BuildingBlocks.Hosting;
using OrdersMail.OrdersApi;

var builder = WebApplication.CreateBuilder(args);
builder.AddServiceDefaults(OrdersApiService.Info);

var app = builder.Build();
app.MapDefaultEndpoints();

await app.RunAsync();
