<?xml version="1.0" encoding="UTF-8"?>
<StyledLayerDescriptor xmlns="http://www.opengis.net/sld" xmlns:ogc="http://www.opengis.net/ogc" xmlns:xlink="http://www.w3.org/1999/xlink" xmlns:se="http://www.opengis.net/se" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" version="1.1.0" xsi:schemaLocation="http://www.opengis.net/sld http://schemas.opengis.net/sld/1.1.0/StyledLayerDescriptor.xsd">
  <NamedLayer>
    <se:Name>site_pieces</se:Name>
    <UserStyle>
      <se:Name>site_pieces</se:Name>
      <se:Description>
        <se:Title>选址占用 pieces of sites by plan layer</se:Title>
      </se:Description>
      <se:FeatureTypeStyle>
        <se:Rule>
          <se:Name>redline</se:Name>
          <se:Description>
            <se:Title>生态保护红线 redline</se:Title>
          </se:Description>
          <ogc:Filter xmlns:ogc="http://www.opengis.net/ogc">
            <ogc:PropertyIsEqualTo><ogc:PropertyName>role</ogc:PropertyName><ogc:Literal>redline</ogc:Literal></ogc:PropertyIsEqualTo>
          </ogc:Filter>
          <se:PolygonSymbolizer>
            <se:Fill>
              <se:SvgParameter name="fill">#e60000</se:SvgParameter>
              <se:SvgParameter name="fill-opacity">0.353</se:SvgParameter>
            </se:Fill>
          </se:PolygonSymbolizer>
          <se:PolygonSymbolizer>
            <se:Fill>
              <se:GraphicFill>
                <se:Graphic>
                  <se:Mark>
                    <se:WellKnownName>horline</se:WellKnownName>
                    <se:Stroke>
                      <se:SvgParameter name="stroke">#dc0000</se:SvgParameter>
                      <se:SvgParameter name="stroke-width">0.89</se:SvgParameter>
                      <se:SvgParameter name="stroke-linejoin">bevel</se:SvgParameter>
                    </se:Stroke>
                  </se:Mark>
                  <se:Size>7.14</se:Size>
                  <se:Rotation><ogc:Literal>45</ogc:Literal></se:Rotation>
                </se:Graphic>
              </se:GraphicFill>
            </se:Fill>
            <se:Stroke>
              <se:SvgParameter name="stroke">#dc0000</se:SvgParameter>
              <se:SvgParameter name="stroke-width">1.43</se:SvgParameter>
              <se:SvgParameter name="stroke-linejoin">bevel</se:SvgParameter>
            </se:Stroke>
          </se:PolygonSymbolizer>
        </se:Rule>
        <se:Rule>
          <se:Name>farmland</se:Name>
          <se:Description>
            <se:Title>永久基本农田 farmland</se:Title>
          </se:Description>
          <ogc:Filter xmlns:ogc="http://www.opengis.net/ogc">
            <ogc:PropertyIsEqualTo><ogc:PropertyName>role</ogc:PropertyName><ogc:Literal>farmland</ogc:Literal></ogc:PropertyIsEqualTo>
          </ogc:Filter>
          <se:PolygonSymbolizer>
            <se:Fill>
              <se:SvgParameter name="fill">#f5d23c</se:SvgParameter>
              <se:SvgParameter name="fill-opacity">0.627</se:SvgParameter>
            </se:Fill>
            <se:Stroke>
              <se:SvgParameter name="stroke">#b48c00</se:SvgParameter>
              <se:SvgParameter name="stroke-width">1.43</se:SvgParameter>
              <se:SvgParameter name="stroke-linejoin">bevel</se:SvgParameter>
            </se:Stroke>
          </se:PolygonSymbolizer>
        </se:Rule>
        <se:Rule>
          <se:Name>urban</se:Name>
          <se:Description>
            <se:Title>城镇开发边界 urban</se:Title>
          </se:Description>
          <ogc:Filter xmlns:ogc="http://www.opengis.net/ogc">
            <ogc:PropertyIsEqualTo><ogc:PropertyName>role</ogc:PropertyName><ogc:Literal>urban</ogc:Literal></ogc:PropertyIsEqualTo>
          </ogc:Filter>
          <se:PolygonSymbolizer>
            <se:Fill>
              <se:SvgParameter name="fill">#dc96dc</se:SvgParameter>
              <se:SvgParameter name="fill-opacity">0.471</se:SvgParameter>
            </se:Fill>
            <se:Stroke>
              <se:SvgParameter name="stroke">#aa00aa</se:SvgParameter>
              <se:SvgParameter name="stroke-width">1.43</se:SvgParameter>
              <se:SvgParameter name="stroke-linejoin">bevel</se:SvgParameter>
            </se:Stroke>
          </se:PolygonSymbolizer>
        </se:Rule>
        <se:Rule>
          <se:Name>districts</se:Name>
          <se:Description>
            <se:Title>规划分区 districts</se:Title>
          </se:Description>
          <ogc:Filter xmlns:ogc="http://www.opengis.net/ogc">
            <ogc:PropertyIsEqualTo><ogc:PropertyName>role</ogc:PropertyName><ogc:Literal>districts</ogc:Literal></ogc:PropertyIsEqualTo>
          </ogc:Filter>
          <se:PolygonSymbolizer>
            <se:Fill>
              <se:SvgParameter name="fill">#beaae6</se:SvgParameter>
              <se:SvgParameter name="fill-opacity">0.471</se:SvgParameter>
            </se:Fill>
            <se:Stroke>
              <se:SvgParameter name="stroke">#7b6e95</se:SvgParameter>
              <se:SvgParameter name="stroke-width">1.07</se:SvgParameter>
              <se:SvgParameter name="stroke-linejoin">bevel</se:SvgParameter>
            </se:Stroke>
          </se:PolygonSymbolizer>
        </se:Rule>
        <se:Rule>
          <se:Name>parcels</se:Name>
          <se:Description>
            <se:Title>三调图斑 parcels</se:Title>
          </se:Description>
          <ogc:Filter xmlns:ogc="http://www.opengis.net/ogc">
            <ogc:PropertyIsEqualTo><ogc:PropertyName>role</ogc:PropertyName><ogc:Literal>parcels</ogc:Literal></ogc:PropertyIsEqualTo>
          </ogc:Filter>
          <se:PolygonSymbolizer>
            <se:Fill>
              <se:SvgParameter name="fill">#d7be8c</se:SvgParameter>
              <se:SvgParameter name="fill-opacity">0.471</se:SvgParameter>
            </se:Fill>
            <se:Stroke>
              <se:SvgParameter name="stroke">#8b7b5b</se:SvgParameter>
              <se:SvgParameter name="stroke-width">1.07</se:SvgParameter>
              <se:SvgParameter name="stroke-linejoin">bevel</se:SvgParameter>
            </se:Stroke>
          </se:PolygonSymbolizer>
        </se:Rule>
        <se:Rule>
          <se:Name>boundary</se:Name>
          <se:Description>
            <se:Title>行政区界 boundary</se:Title>
          </se:Description>
          <ogc:Filter xmlns:ogc="http://www.opengis.net/ogc">
            <ogc:PropertyIsEqualTo><ogc:PropertyName>role</ogc:PropertyName><ogc:Literal>boundary</ogc:Literal></ogc:PropertyIsEqualTo>
          </ogc:Filter>
          <se:PolygonSymbolizer>
            <se:Stroke>
              <se:SvgParameter name="stroke">#1e1e1e</se:SvgParameter>
              <se:SvgParameter name="stroke-width">1.43</se:SvgParameter>
              <se:SvgParameter name="stroke-linejoin">round</se:SvgParameter>
              <se:SvgParameter name="stroke-linecap">butt</se:SvgParameter>
              <se:SvgParameter name="stroke-dasharray">14.29 3.57 2.86 3.57</se:SvgParameter>
            </se:Stroke>
          </se:PolygonSymbolizer>
        </se:Rule>
        <se:Rule>
          <se:Name>other</se:Name>
          <se:Description>
            <se:Title>其他 other</se:Title>
          </se:Description>
          <ogc:Filter xmlns:ogc="http://www.opengis.net/ogc">
            <ogc:Or>
              <ogc:Not>
                <ogc:Or>
                  <ogc:PropertyIsEqualTo><ogc:PropertyName>role</ogc:PropertyName><ogc:Literal>redline</ogc:Literal></ogc:PropertyIsEqualTo>
                  <ogc:PropertyIsEqualTo><ogc:PropertyName>role</ogc:PropertyName><ogc:Literal>farmland</ogc:Literal></ogc:PropertyIsEqualTo>
                  <ogc:PropertyIsEqualTo><ogc:PropertyName>role</ogc:PropertyName><ogc:Literal>urban</ogc:Literal></ogc:PropertyIsEqualTo>
                  <ogc:PropertyIsEqualTo><ogc:PropertyName>role</ogc:PropertyName><ogc:Literal>districts</ogc:Literal></ogc:PropertyIsEqualTo>
                  <ogc:PropertyIsEqualTo><ogc:PropertyName>role</ogc:PropertyName><ogc:Literal>parcels</ogc:Literal></ogc:PropertyIsEqualTo>
                  <ogc:PropertyIsEqualTo><ogc:PropertyName>role</ogc:PropertyName><ogc:Literal>boundary</ogc:Literal></ogc:PropertyIsEqualTo>
                </ogc:Or>
              </ogc:Not>
              <ogc:PropertyIsNull><ogc:PropertyName>role</ogc:PropertyName></ogc:PropertyIsNull>
            </ogc:Or>
          </ogc:Filter>
          <se:PolygonSymbolizer>
            <se:Fill>
              <se:SvgParameter name="fill">#bebebe</se:SvgParameter>
              <se:SvgParameter name="fill-opacity">0.471</se:SvgParameter>
            </se:Fill>
            <se:Stroke>
              <se:SvgParameter name="stroke">#6e6e6e</se:SvgParameter>
              <se:SvgParameter name="stroke-width">1.07</se:SvgParameter>
              <se:SvgParameter name="stroke-linejoin">bevel</se:SvgParameter>
            </se:Stroke>
          </se:PolygonSymbolizer>
        </se:Rule>
      </se:FeatureTypeStyle>
    </UserStyle>
  </NamedLayer>
</StyledLayerDescriptor>
