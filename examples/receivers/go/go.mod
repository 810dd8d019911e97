module example.com/gamepush-receiver

go 1.19
