package main

import "context"

// mountPlatforms builds the WeCom and DingTalk adapters that are configured
// and mounts their callbacks.
func (a *app) mountPlatforms(ctx context.Context) error {
	return nil
}
